package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
	"unsafe"

	"storj.io/uplink"
	"storj.io/uplink/edge"
)

// edge_register_access registers the access grant with the auth service of the config and
// returns the S3-compatible credentials (access key ID, secret key, endpoint) for it.
//
//export edge_register_access
func edge_register_access(config C.EdgeConfig, accessHandle *C.UplinkAccess, options *C.EdgeRegisterAccessOptions) C.EdgeCredentialsResult {
	cfg := edge.Config{
		AuthServiceAddress:            goString(config.auth_service_address),
		InsecureUnencryptedConnection: bool(config.insecure_unencrypted_connection),
	}
	if config.certificate_pem != nil {
		cfg.CertificatePEM = []byte(goString(config.certificate_pem))
	}
	opts := &edge.RegisterAccessOptions{}
	if options != nil {
		opts.Public = bool(options.is_public)
	}
	var credentials *edge.Credentials
	err := withAccess(accessHandle, func(a *uplink.Access) (err error) {
		credentials, err = cfg.RegisterAccess(context.Background(), a, opts)
		return err
	})
	if err != nil {
		return C.EdgeCredentialsResult{error: newError(err)}
	}
	c := (*C.EdgeCredentials)(C.calloc(1, C.sizeof_EdgeCredentials))
	c.access_key_id = (*C.char)(cString(credentials.AccessKeyID))
	c.secret_key = (*C.char)(cString(credentials.SecretKey))
	c.endpoint = (*C.char)(cString(credentials.Endpoint))
	return C.EdgeCredentialsResult{credentials: c}
}

// edge_free_credentials frees credentials and their strings; NULL is fine.
//
//export edge_free_credentials
func edge_free_credentials(credentials *C.EdgeCredentials) {
	if credentials == nil {
		return
	}
	C.free(unsafe.Pointer(credentials.access_key_id))
	C.free(unsafe.Pointer(credentials.secret_key))
	C.free(unsafe.Pointer(credentials.endpoint))
	C.free(unsafe.Pointer(credentials))
}

// edge_free_credentials_result frees a credentials result: its error and its credentials.
//
//export edge_free_credentials_result
func edge_free_credentials_result(result C.EdgeCredentialsResult) {
	uplink_free_error(result.error)
	edge_free_credentials(result.credentials)
}

// edge_join_share_url builds the URL of a linkshare for key in bucket (the whole bucket when key is
// empty, every bucket when bucket is empty too) on the linkshare service at baseURL.
//
//export edge_join_share_url
func edge_join_share_url(baseURL, accessKeyID, bucket, key *C.uplink_const_char, options *C.EdgeShareURLOptions) C.UplinkStringResult {
	opts := &edge.ShareURLOptions{}
	if options != nil {
		opts.Raw = bool(options.raw)
	}
	return stringResult(edge.JoinShareURL(goString(baseURL), goString(accessKeyID), goString(bucket), goString(key), opts))
}
