package main

// #include "uplink_definitions.h"
import "C"

import (
	"context"
	"sync"
	"time"
	"unsafe"

	"storj.io/uplink"
)

// access is the value behind an UplinkAccess handle. mu serializes calls on one handle
// (OverrideEncryptionKey changes the access in place).
type access struct {
	mu     sync.Mutex
	access *uplink.Access
}

func getAccess(p *C.UplinkAccess) (*access, error) {
	if p == nil {
		return nil, errorNull("access")
	}
	return lookup[*access](universe, handleOf(unsafe.Pointer(p)), "UplinkAccess")
}

func accessResult(value *uplink.Access, err error) C.UplinkAccessResult {
	if err != nil {
		return C.UplinkAccessResult{error: newError(err)}
	}
	return C.UplinkAccessResult{access: (*C.UplinkAccess)(newHandle(&access{access: value}))}
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

//export uplink_parse_access
func uplink_parse_access(accessString *C.uplink_const_char) C.UplinkAccessResult {
	serialized, err := required(accessString, "accessString")
	if err != nil {
		return accessResult(nil, err)
	}
	return accessResult(uplink.ParseAccess(serialized))
}

//export uplink_request_access_with_passphrase
func uplink_request_access_with_passphrase(satelliteAddress, apiKey, passphrase *C.uplink_const_char) C.UplinkAccessResult {
	return uplink_config_request_access_with_passphrase(C.UplinkConfig{}, satelliteAddress, apiKey, passphrase)
}

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

//export uplink_access_satellite_address
func uplink_access_satellite_address(p *C.UplinkAccess) C.UplinkStringResult {
	a, err := getAccess(p)
	if err != nil {
		return stringResult("", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return stringResult(a.access.SatelliteAddress(), nil)
}

//export uplink_access_serialize
func uplink_access_serialize(p *C.UplinkAccess) C.UplinkStringResult {
	a, err := getAccess(p)
	if err != nil {
		return stringResult("", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return stringResult(a.access.Serialize())
}

//export uplink_access_share
func uplink_access_share(p *C.UplinkAccess, permission C.UplinkPermission, prefixes *C.UplinkSharePrefix, prefixesCount int) C.UplinkAccessResult {
	a, err := getAccess(p)
	if err != nil {
		return accessResult(nil, err)
	}
	var shared []uplink.SharePrefix
	if prefixes != nil && prefixesCount > 0 {
		for _, prefix := range unsafe.Slice(prefixes, int(prefixesCount)) {
			shared = append(shared, uplink.SharePrefix{
				Bucket: goString(prefix.bucket),
				Prefix: goString(prefix.prefix),
			})
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return accessResult(a.access.Share(uplink.Permission{
		AllowDownload: bool(permission.allow_download),
		AllowUpload:   bool(permission.allow_upload),
		AllowList:     bool(permission.allow_list),
		AllowDelete:   bool(permission.allow_delete),
		NotBefore:     timeOf(permission.not_before),
		NotAfter:      timeOf(permission.not_after),
	}, shared...))
}

//export uplink_access_override_encryption_key
func uplink_access_override_encryption_key(p *C.UplinkAccess, bucket, prefix *C.uplink_const_char, encryptionKey *C.UplinkEncryptionKey) *C.UplinkError {
	a, err := getAccess(p)
	if err != nil {
		return newError(err)
	}
	key, err := getEncryptionKey(encryptionKey)
	if err != nil {
		return newError(err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return newError(a.access.OverrideEncryptionKey(goString(bucket), goString(prefix), key))
}

//export uplink_free_access_result
func uplink_free_access_result(result C.UplinkAccessResult) {
	uplink_free_error(result.error)
	freeHandle(unsafe.Pointer(result.access))
}

//export uplink_free_string_result
func uplink_free_string_result(result C.UplinkStringResult) {
	uplink_free_error(result.error)
	C.free(unsafe.Pointer(result.string))
}
