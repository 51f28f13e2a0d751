package lucairn

/*
#include "lucairn.h"
*/
import "C"

import "fmt"

// Code is a result code of the C library; the numbers are stable.
type Code uint32

// The codes the library can return.
const (
	CodeNullPointer                   Code = C.LUCAIRN_RESULT_NULL_POINTER
	CodeInvalidUTF8                   Code = C.LUCAIRN_RESULT_INVALID_UTF8
	CodeEmptyInput                    Code = C.LUCAIRN_RESULT_EMPTY_INPUT
	CodeLengthOverflow                Code = C.LUCAIRN_RESULT_LENGTH_OVERFLOW
	CodeBufferTooSmall                Code = C.LUCAIRN_RESULT_BUFFER_TOO_SMALL
	CodeUnknownKind                   Code = C.LUCAIRN_RESULT_UNKNOWN_KIND
	CodeInvalidArgument               Code = C.LUCAIRN_RESULT_INVALID_ARGUMENT
	CodeInvalidPolicy                 Code = C.LUCAIRN_RESULT_INVALID_POLICY
	CodeMappingTokenMalformed         Code = C.LUCAIRN_RESULT_MAPPING_TOKEN_MALFORMED
	CodeMappingTokenVersion           Code = C.LUCAIRN_RESULT_MAPPING_TOKEN_UNSUPPORTED_VERSION
	CodeMappingTokenDecrypt           Code = C.LUCAIRN_RESULT_MAPPING_TOKEN_DECRYPT
	CodeMappingTokenPayload           Code = C.LUCAIRN_RESULT_MAPPING_TOKEN_PAYLOAD
	CodeSanitizerBusy                 Code = C.LUCAIRN_RESULT_SANITIZER_BUSY
	CodeCertificateMalformed          Code = C.LUCAIRN_RESULT_CERTIFICATE_MALFORMED
	CodeCertificateUnsupportedVersion Code = C.LUCAIRN_RESULT_CERTIFICATE_UNSUPPORTED_VERSION
	CodeCertificateUnknownKey         Code = C.LUCAIRN_RESULT_CERTIFICATE_UNKNOWN_KEY
	CodeCertificateBadSignature       Code = C.LUCAIRN_RESULT_CERTIFICATE_BAD_SIGNATURE
	CodeCertificateChainBroken        Code = C.LUCAIRN_RESULT_CERTIFICATE_CHAIN_BROKEN
	CodeInvalidPublicKey              Code = C.LUCAIRN_RESULT_INVALID_PUBLIC_KEY
	CodePanic                         Code = C.LUCAIRN_RESULT_PANIC
	CodeRandomnessUnavailable         Code = C.LUCAIRN_RESULT_RANDOMNESS_UNAVAILABLE
)

// String describes the code, as the C library does.
func (c Code) String() string {
	var buf [256]C.char
	var n C.size_t
	if C.lucairn_error_message(C.uint32_t(c), &buf[0], C.size_t(len(buf)), &n) != C.LUCAIRN_RESULT_OK {
		return fmt.Sprintf("result code %d", uint32(c))
	}
	return C.GoStringN(&buf[0], C.int(n))
}

// Error is an error from the C library: a code and the detail of what went wrong.
//
// Compare with errors.Is against ErrInvalidPolicy, ErrInvalidUTF8 and the others, which
// match any Error with the same code.
type Error struct {
	Code   Code
	Detail string
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return "lucairn: " + e.Code.String()
	}
	return "lucairn: " + e.Code.String() + ": " + e.Detail
}

// Is reports whether target is an *Error with the same code and no detail: one of the
// Err values of this package.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Detail == "" && t.Code == e.Code
}

// Errors to compare with errors.Is.
var (
	ErrInvalidPolicy   = &Error{Code: CodeInvalidPolicy}
	ErrInvalidUTF8     = &Error{Code: CodeInvalidUTF8}
	ErrInvalidArgument = &Error{Code: CodeInvalidArgument}
	ErrInternal        = &Error{Code: CodePanic}

	// ErrSanitizerBusy: a Stream borrows the Sanitizer; close the Stream first.
	ErrSanitizerBusy = &Error{Code: CodeSanitizerBusy}

	// Mapping tokens that do not open: not a token, an unknown format version, another
	// key or tenant (or an altered token), content that is not a mapping.
	ErrTokenMalformed = &Error{Code: CodeMappingTokenMalformed}
	ErrTokenVersion   = &Error{Code: CodeMappingTokenVersion}
	ErrTokenDecrypt   = &Error{Code: CodeMappingTokenDecrypt}
	ErrTokenPayload   = &Error{Code: CodeMappingTokenPayload}

	// Certificates that do not verify.
	ErrCertificateMalformed = &Error{Code: CodeCertificateMalformed}
	ErrCertificateVersion   = &Error{Code: CodeCertificateUnsupportedVersion}
	ErrUnknownKey           = &Error{Code: CodeCertificateUnknownKey}
	ErrBadSignature         = &Error{Code: CodeCertificateBadSignature}
	ErrChainBroken          = &Error{Code: CodeCertificateChainBroken}
	ErrInvalidPublicKey     = &Error{Code: CodeInvalidPublicKey}
)

// check turns a result into an error with the calling thread's detail; the caller must
// have locked the OS thread.
func check(r C.lucairn_result) error {
	if r == C.LUCAIRN_RESULT_OK {
		return nil
	}
	var buf [1024]C.char
	var n C.size_t
	detail := ""
	switch C.lucairn_last_error_detail(&buf[0], C.size_t(len(buf)), &n) {
	case C.LUCAIRN_RESULT_OK:
		detail = C.GoStringN(&buf[0], C.int(n))
	case C.LUCAIRN_RESULT_BUFFER_TOO_SMALL:
		long := make([]C.char, int(n)+1)
		if C.lucairn_last_error_detail(&long[0], C.size_t(len(long)), &n) == C.LUCAIRN_RESULT_OK {
			detail = C.GoStringN(&long[0], C.int(n))
		}
	}
	return &Error{Code: Code(r), Detail: detail}
}
