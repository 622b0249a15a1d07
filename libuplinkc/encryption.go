package main

// #include "uplink_definitions.h"
import "C"

import (
	"unsafe"

	"storj.io/uplink"
)

// uplink_derive_encryption_key derives an encryption key from a passphrase and a salt of length
// bytes, for uplink_access_override_encryption_key.
//
//export uplink_derive_encryption_key
func uplink_derive_encryption_key(passphrase *C.uplink_const_char, salt unsafe.Pointer, length C.size_t) C.UplinkEncryptionKeyResult {
	secret, err := required(passphrase, "passphrase")
	if err != nil {
		return C.UplinkEncryptionKeyResult{error: newError(err)}
	}
	// DeriveEncryptionKey only hashes the salt during the call: a view of the C memory is enough.
	key, err := uplink.DeriveEncryptionKey(secret, cBufferSlice(salt, length))
	if err != nil {
		return C.UplinkEncryptionKeyResult{error: newError(err)}
	}
	return C.UplinkEncryptionKeyResult{encryption_key: (*C.UplinkEncryptionKey)(newHandle(key))}
}

// uplink_free_encryption_key_result frees an encryption key result: its error and its key handle.
//
//export uplink_free_encryption_key_result
func uplink_free_encryption_key_result(result C.UplinkEncryptionKeyResult) {
	uplink_free_error(result.error)
	freeHandle(unsafe.Pointer(result.encryption_key))
}
