package lucairn

/*
#include "lucairn.h"
*/
import "C"

import "fmt"

// Code is a result code of the C library; the numbers are stable.
type Code uint32

// The codes an Engine can return.
const (
	CodeNullPointer    Code = C.LUCAIRN_RESULT_NULL_POINTER
	CodeInvalidUTF8    Code = C.LUCAIRN_RESULT_INVALID_UTF8
	CodeEmptyInput     Code = C.LUCAIRN_RESULT_EMPTY_INPUT
	CodeLengthOverflow Code = C.LUCAIRN_RESULT_LENGTH_OVERFLOW
	CodeBufferTooSmall Code = C.LUCAIRN_RESULT_BUFFER_TOO_SMALL
	CodeUnknownKind    Code = C.LUCAIRN_RESULT_UNKNOWN_KIND
	CodeInvalidPolicy  Code = C.LUCAIRN_RESULT_INVALID_POLICY
	CodePanic          Code = C.LUCAIRN_RESULT_PANIC
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
	ErrInvalidPolicy = &Error{Code: CodeInvalidPolicy}
	ErrInvalidUTF8   = &Error{Code: CodeInvalidUTF8}
	ErrInternal      = &Error{Code: CodePanic}
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
