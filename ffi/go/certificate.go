package lucairn

/*
#include <stdlib.h>
#include "lucairn.h"
*/
import "C"

import (
	"encoding/hex"
	"fmt"
	"strings"
	"unsafe"
)

// PublicKey is an ed25519 public key that verifies certificates.
type PublicKey [KeyLen]byte

// ParsePublicKey reads a public key written as 64 hex digits, the form the gateway
// publishes its keys in.
func ParsePublicKey(s string) (PublicKey, error) {
	var k PublicKey
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != KeyLen {
		return k, &Error{Code: CodeInvalidPublicKey, Detail: fmt.Sprintf("public key must be %d hex digits", 2*KeyLen)}
	}
	copy(k[:], b)
	return k, nil
}

// CertificateInfo is what a verified certificate says about itself.
type CertificateInfo struct {
	// Version is the format version (1).
	Version uint32
	// ID is the certificate id, 32 hex digits.
	ID string
	// KeyID is the id of the key that signed it, 16 hex digits.
	KeyID string
	// IssuedAt is when it was issued, RFC 3339 UTC.
	IssuedAt string
	// Digest is the certificate's digest (64 hex digits), which the next certificate of
	// its chain quotes as Previous.
	Digest string
	// Previous is the digest of the previous certificate of the chain, or "" for the
	// first one.
	Previous string
	// Findings and OutputFindings count the values replaced in the request and in the
	// answer.
	Findings, OutputFindings int
}

func infoOf(c *C.lucairn_certificate_info) *CertificateInfo {
	return &CertificateInfo{
		Version:        uint32(c.version),
		ID:             C.GoString(&c.id[0]),
		KeyID:          C.GoString(&c.key_id[0]),
		IssuedAt:       C.GoString(&c.issued_at[0]),
		Digest:         C.GoString(&c.digest[0]),
		Previous:       C.GoString(&c.previous[0]),
		Findings:       int(c.findings),
		OutputFindings: int(c.output_findings),
	}
}

func keysPtr(keys []PublicKey) *C.uint8_t {
	if len(keys) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(&keys[0][0]))
}

// VerifyCertificate checks a certificate (its JSON) against trusted public keys, such as
// the keys of several generations during a rotation, and returns what it says. A
// certificate that does not verify returns an error wrapping one of
// ErrCertificateMalformed, ErrCertificateVersion, ErrUnknownKey or ErrBadSignature.
func VerifyCertificate(certificate []byte, keys ...PublicKey) (*CertificateInfo, error) {
	var info C.lucairn_certificate_info
	var err error
	locked(func() {
		err = check(C.lucairn_certificate_verify(bytesPtr(certificate), C.size_t(len(certificate)), keysPtr(keys),
			C.size_t(len(keys)), &info))
	})
	if err != nil {
		return nil, err
	}
	return infoOf(&info), nil
}

// VerifyCertificateChain checks certificates given oldest first: each one as
// VerifyCertificate does, and that each one quotes the digest of the one before it
// (ErrChainBroken otherwise; the error's detail names the certificate). It returns what
// the last certificate says.
func VerifyCertificateChain(certificates [][]byte, keys ...PublicKey) (*CertificateInfo, error) {
	n := len(certificates)
	if n == 0 {
		return nil, &Error{Code: CodeEmptyInput, Detail: "no certificates"}
	}
	// The pointers go to C in C memory, and what they point to too (cgo forbids Go
	// pointers in memory passed to C).
	total := 0
	for _, c := range certificates {
		total += len(c)
	}
	data := unsafe.Slice((*byte)(C.malloc(C.size_t(total+1))), total+1)
	defer C.free(unsafe.Pointer(&data[0]))
	var p *C.uint8_t
	ptrs := unsafe.Slice((**C.uint8_t)(C.malloc(C.size_t(n)*C.size_t(unsafe.Sizeof(p)))), n)
	defer C.free(unsafe.Pointer(&ptrs[0]))
	lens := make([]C.size_t, n)
	at := 0
	for i, c := range certificates {
		copy(data[at:at+len(c)], c)
		ptrs[i] = (*C.uint8_t)(unsafe.Pointer(&data[at]))
		lens[i] = C.size_t(len(c))
		at += len(c)
	}
	var info C.lucairn_certificate_info
	var err error
	locked(func() {
		err = check(C.lucairn_certificate_verify_chain(&ptrs[0], &lens[0], C.size_t(n), keysPtr(keys),
			C.size_t(len(keys)), &info))
	})
	if err != nil {
		return nil, err
	}
	return infoOf(&info), nil
}
