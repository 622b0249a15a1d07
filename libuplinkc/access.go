package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
	"time"
	"unsafe"

	"storj.io/uplink"
)

// access is the value behind an UplinkAccess handle. Calls on one access take turns:
// OverrideEncryptionKey changes it in place.
type access = locked[*uplink.Access]

// withAccess runs fn on the access behind the handle p, alone.
func withAccess(p *C.UplinkAccess, fn func(a *uplink.Access) error) error {
	return withLocked(p, func(l *access) error { return fn(l.value) })
}

func accessResult(value *uplink.Access, err error) C.UplinkAccessResult {
	if err != nil {
		return C.UplinkAccessResult{error: newError(err)}
	}
	return C.UplinkAccessResult{access: (*C.UplinkAccess)(newHandle(&access{value: value}))}
}

func stringResult(value string, err error) C.UplinkStringResult {
	if err != nil {
		return C.UplinkStringResult{error: newError(err)}
	}
	return C.UplinkStringResult{string: cString(value)}
}

// uplinkConfig is the Go config of a C UplinkConfig (temp_directory goes into the context instead).
func uplinkConfig(config C.UplinkConfig) uplink.Config {
	return uplink.Config{
		UserAgent:   goString(config.user_agent),
		DialTimeout: time.Duration(config.dial_timeout_milliseconds) * time.Millisecond,
	}
}

// uplink_parse_access parses a serialized access grant into a new access handle.
//
//export uplink_parse_access
func uplink_parse_access(accessString *C.uplink_const_char) C.UplinkAccessResult {
	serialized, err := required(accessString, "accessString")
	if err != nil {
		return accessResult(nil, err)
	}
	return accessResult(uplink.ParseAccess(serialized))
}

// uplink_request_access_with_passphrase asks the satellite for an access grant from an API key,
// with the encryption key derived from the passphrase, under the default configuration.
//
//export uplink_request_access_with_passphrase
func uplink_request_access_with_passphrase(satelliteAddress, apiKey, passphrase *C.uplink_const_char) C.UplinkAccessResult {
	return uplink_config_request_access_with_passphrase(C.UplinkConfig{}, satelliteAddress, apiKey, passphrase)
}

// uplink_config_request_access_with_passphrase is uplink_request_access_with_passphrase under the
// given configuration (user agent, dial timeout).
//
//export uplink_config_request_access_with_passphrase
func uplink_config_request_access_with_passphrase(config C.UplinkConfig, satelliteAddress, apiKey, passphrase *C.uplink_const_char) C.UplinkAccessResult {
	satellite, err1 := required(satelliteAddress, "satellite_address")
	key, err2 := required(apiKey, "api_key")
	secret, err3 := required(passphrase, "passphrase")
	if err := firstError(err1, err2, err3); err != nil {
		return accessResult(nil, err)
	}
	return accessResult(uplinkConfig(config).RequestAccessWithPassphrase(context.Background(), satellite, key, secret))
}

// uplink_access_satellite_address returns the node URL of the satellite the access grant is for.
//
//export uplink_access_satellite_address
func uplink_access_satellite_address(p *C.UplinkAccess) C.UplinkStringResult {
	var address string
	err := withAccess(p, func(a *uplink.Access) error {
		address = a.SatelliteAddress()
		return nil
	})
	return stringResult(address, err)
}

// uplink_access_serialize returns the access grant serialized as a string.
//
//export uplink_access_serialize
func uplink_access_serialize(p *C.UplinkAccess) C.UplinkStringResult {
	var serialized string
	err := withAccess(p, func(a *uplink.Access) (err error) {
		serialized, err = a.Serialize()
		return err
	})
	return stringResult(serialized, err)
}

// uplink_access_share derives a new, restricted access grant: the given permission, limited to
// prefixes_count bucket/prefix pairs (all buckets when there are none).
//
//export uplink_access_share
func uplink_access_share(p *C.UplinkAccess, permission C.UplinkPermission, prefixes *C.UplinkSharePrefix, prefixesCount int) C.UplinkAccessResult {
	var shared []uplink.SharePrefix
	if prefixes != nil && prefixesCount > 0 {
		for _, prefix := range unsafe.Slice(prefixes, int(prefixesCount)) {
			shared = append(shared, uplink.SharePrefix{
				Bucket: goString(prefix.bucket),
				Prefix: goString(prefix.prefix),
			})
		}
	}
	var restricted *uplink.Access
	err := withAccess(p, func(a *uplink.Access) (err error) {
		restricted, err = a.Share(uplink.Permission{
			AllowDownload: bool(permission.allow_download),
			AllowUpload:   bool(permission.allow_upload),
			AllowList:     bool(permission.allow_list),
			AllowDelete:   bool(permission.allow_delete),
			NotBefore:     timeOf(permission.not_before),
			NotAfter:      timeOf(permission.not_after),
		}, shared...)
		return err
	})
	return accessResult(restricted, err)
}

// uplink_access_override_encryption_key makes the access use encryptionKey for the objects under
// bucket/prefix, in place.
//
//export uplink_access_override_encryption_key
func uplink_access_override_encryption_key(p *C.UplinkAccess, bucket, prefix *C.uplink_const_char, encryptionKey *C.UplinkEncryptionKey) *C.UplinkError {
	return newError(withAccess(p, func(a *uplink.Access) error {
		key, err := valueOf[*uplink.EncryptionKey](encryptionKey)
		if err != nil {
			return err
		}
		return a.OverrideEncryptionKey(goString(bucket), goString(prefix), key)
	}))
}

// uplink_free_access_result frees an access result: its error and its access handle.
//
//export uplink_free_access_result
func uplink_free_access_result(result C.UplinkAccessResult) {
	uplink_free_error(result.error)
	freeHandle(unsafe.Pointer(result.access))
}

// uplink_free_string_result frees a string result: its error and its string.
//
//export uplink_free_string_result
func uplink_free_string_result(result C.UplinkStringResult) {
	uplink_free_error(result.error)
	C.free(unsafe.Pointer(result.string))
}
