package main

// #include "uplink_definitions.h"
import "C"

import (
	"unsafe"

	"storj.io/uplink"
)

func getEncryptionKey(p *C.UplinkEncryptionKey) (*uplink.EncryptionKey, error) {
	if p == nil {
		return nil, errorNull("encryptionKey")
	}
	return lookup[*uplink.EncryptionKey](universe, handleOf(unsafe.Pointer(p)), "UplinkEncryptionKey")
}

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

//export uplink_free_encryption_key_result
func uplink_free_encryption_key_result(result C.UplinkEncryptionKeyResult) {
	uplink_free_error(result.error)
	freeHandle(unsafe.Pointer(result.encryption_key))
}
