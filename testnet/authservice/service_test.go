package authservice_test

import (
	"context"
	"net"
	"regexp"
	"strings"
	"testing"

	"storj.io/common/grant"
	"storj.io/common/macaroon"
	"storj.io/common/storj"
	"storj.io/uplink"
	"storj.io/uplink/edge"

	"testnet/authservice"
)

// running is a started service with its two addresses.
type running struct {
	service   *authservice.Service
	plainAddr string
	tlsAddr   string
}

func start(t *testing.T, cfg authservice.Config) running {
	t.Helper()
	service, err := authservice.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	secure, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- service.Serve(ctx, plain, secure) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return running{service: service, plainAddr: plain.Addr().String(), tlsAddr: secure.Addr().String()}
}

func testAccess(t *testing.T, satellite string) *uplink.Access {
	t.Helper()
	secret, err := macaroon.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	apiKey, err := macaroon.NewAPIKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	key := storj.Key{1, 2, 3}
	serialized, err := (&grant.Access{
		SatelliteAddress: satellite,
		APIKey:           apiKey,
		EncAccess:        grant.NewEncryptionAccessWithDefaultKey(&key),
	}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	access, err := uplink.ParseAccess(serialized)
	if err != nil {
		t.Fatal(err)
	}
	return access
}

var (
	accessKeyShape = regexp.MustCompile(`^[a-z2-7]{28}$`)
	secretKeyShape = regexp.MustCompile(`^[a-z2-7]{53}$`)
)

func TestRegisterAccessPlainAndTLS(t *testing.T) {
	dir := t.TempDir()
	satellite := storj.NodeID{7}
	srv := start(t, authservice.Config{DataDir: dir, Endpoint: "http://s3.local:7777", Satellite: satellite})
	access := testAccess(t, satellite.String()+"@127.0.0.1:1")

	configs := map[string]edge.Config{
		"plain": {AuthServiceAddress: srv.plainAddr, InsecureUnencryptedConnection: true},
		"tls":   {AuthServiceAddress: srv.tlsAddr, CertificatePEM: srv.service.CertificatePEM()},
	}
	for name, config := range configs {
		credentials, err := config.RegisterAccess(context.Background(), access, &edge.RegisterAccessOptions{Public: true})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !accessKeyShape.MatchString(credentials.AccessKeyID) || !secretKeyShape.MatchString(credentials.SecretKey) {
			t.Fatalf("%s: credentials of the wrong shape: %+v", name, credentials)
		}
		if credentials.Endpoint != "http://s3.local:7777" {
			t.Fatalf("%s: endpoint %q", name, credentials.Endpoint)
		}
		grant, secret, err := srv.service.Lookup(credentials.AccessKeyID)
		if err != nil || secret != credentials.SecretKey {
			t.Fatalf("%s: registered access not stored: %v", name, err)
		}
		if serialized, _ := access.Serialize(); grant != serialized {
			t.Fatalf("%s: stored grant differs", name)
		}
	}

	// TLS without trusting the certificate fails.
	untrusted := edge.Config{AuthServiceAddress: srv.tlsAddr}
	if _, err := untrusted.RegisterAccess(context.Background(), access, nil); err == nil {
		t.Fatal("TLS without the service certificate succeeded")
	}
}

func TestRefusesForeignAndOversizedGrants(t *testing.T) {
	satellite := storj.NodeID{7}
	srv := start(t, authservice.Config{DataDir: t.TempDir(), MaxGrantSize: 600, Satellite: satellite})
	config := edge.Config{AuthServiceAddress: srv.plainAddr, InsecureUnencryptedConnection: true}

	foreign := testAccess(t, storj.NodeID{8}.String()+"@127.0.0.1:1")
	if _, err := config.RegisterAccess(context.Background(), foreign, nil); err == nil {
		t.Fatal("a grant for another satellite was registered")
	}
	oversized := testAccess(t, satellite.String()+"@"+strings.Repeat("a", 700)+":1")
	if _, err := config.RegisterAccess(context.Background(), oversized, nil); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("oversized grant: got %v", err)
	}
}

func TestCertificateAndAccessesSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	first, err := authservice.New(authservice.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	second, err := authservice.New(authservice.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if string(first.CertificatePEM()) != string(second.CertificatePEM()) {
		t.Fatal("certificate changed across restarts")
	}
	if !strings.HasPrefix(string(second.CertificatePEM()), "-----BEGIN CERTIFICATE-----") {
		t.Fatal("certificate is not PEM")
	}
}
