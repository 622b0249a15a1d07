package conformance

import (
	"context"
	"regexp"
	"testing"

	"storj.io/uplink/edge"

	"testnet/network/networktest"
)

func TestEdgeRegisterAccess(t *testing.T) {
	net := networktest.Start(t, 5)
	configs := map[string]edge.Config{
		"plain": {AuthServiceAddress: net.AuthAddress(), InsecureUnencryptedConnection: true},
		"tls":   {AuthServiceAddress: net.AuthTLSAddress(), CertificatePEM: net.AuthCertificatePEM()},
	}
	accessKey, secretKey := regexp.MustCompile(`^[a-z2-7]{28}$`), regexp.MustCompile(`^[a-z2-7]{53}$`)
	for name, config := range configs {
		credentials, err := config.RegisterAccess(context.Background(), net.Access(), &edge.RegisterAccessOptions{Public: true})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !accessKey.MatchString(credentials.AccessKeyID) || !secretKey.MatchString(credentials.SecretKey) || credentials.Endpoint == "" {
			t.Fatalf("%s: unexpected credentials %+v", name, credentials)
		}
		url, err := edge.JoinShareURL("https://link.example", credentials.AccessKeyID, "bucket", "key", nil)
		if err != nil || url != "https://link.example/s/"+credentials.AccessKeyID+"/bucket/key" {
			t.Fatalf("%s: share URL %q, %v", name, url, err)
		}
	}
	if _, err := (&edge.Config{AuthServiceAddress: net.AuthTLSAddress()}).RegisterAccess(context.Background(), net.Access(), nil); err == nil {
		t.Fatal("TLS registration without trusting the certificate succeeded")
	}
}
