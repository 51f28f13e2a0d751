package lucairn

/*
#include <stdlib.h>
#include "lucairn.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// KeyLen is the length in bytes of tenant secrets, mapping token keys and public keys.
const KeyLen = C.LUCAIRN_KEY_LEN

// OutputMode says what ScanOutput does with the request's placeholders in an answer.
type OutputMode uint32

const (
	// OutputRelink restores the original values (the caller may see its own data).
	OutputRelink OutputMode = C.LUCAIRN_OUTPUT_RELINK
	// OutputKeep leaves the placeholders as the model wrote them.
	OutputKeep OutputMode = C.LUCAIRN_OUTPUT_KEEP
)

// Sanitizer replaces personal data in the texts of one request by placeholders such as
// [EMAIL_ADDRESS_1], and restores them in answers. The same value gets the same
// placeholder in every text of the request.
//
// A Sanitizer is safe for concurrent use, but placeholders are numbered in the order of
// the calls: sanitise the texts of a request in their order to get reproducible
// placeholders. Close frees it; a finalizer frees one that is dropped without Close.
type Sanitizer struct {
	mu  sync.RWMutex
	ptr *C.lucairn_sanitizer
}

func keyPtr(what string, key []byte) (*C.uint8_t, error) {
	if len(key) != KeyLen {
		return nil, &Error{Code: CodeInvalidArgument, Detail: fmt.Sprintf("%s: %d bytes needed, %d given", what, KeyLen, len(key))}
	}
	return (*C.uint8_t)(unsafe.Pointer(&key[0])), nil
}

// NewSanitizer creates the sanitizer of one request. With a tenant secret (KeyLen bytes;
// nil or empty for none), each value's placeholder number is derived from the secret, so
// the same value gets the same placeholder in every request of the tenant; without one,
// placeholders are numbered 1, 2, 3 ... per kind. The sanitizer does not need the engine
// afterwards: closing the engine first is fine.
func (e *Engine) NewSanitizer(tenantSecret []byte) (*Sanitizer, error) {
	var secret *C.uint8_t
	if len(tenantSecret) > 0 {
		var err error
		if secret, err = keyPtr("tenant secret", tenantSecret); err != nil {
			return nil, err
		}
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.ptr == nil {
		return nil, ErrClosed
	}
	var ptr *C.lucairn_sanitizer
	var err error
	locked(func() { err = check(C.lucairn_sanitizer_new(e.ptr, secret, &ptr)) })
	if err != nil {
		return nil, err
	}
	s := &Sanitizer{ptr: ptr}
	runtime.SetFinalizer(s, (*Sanitizer).Close)
	return s, nil
}

// Close frees the sanitizer; it waits for calls in progress, later calls return
// ErrClosed. A Stream opened on it stays usable. Closing twice is harmless.
func (s *Sanitizer) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ptr != nil {
		C.lucairn_sanitizer_free(s.ptr)
		s.ptr = nil
		runtime.SetFinalizer(s, nil)
	}
	return nil
}

// takeString copies a string the library allocated and frees it.
func takeString(p *C.char, n C.size_t) string {
	s := string(unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n)))
	C.lucairn_string_free(p)
	return s
}

// allocString runs a C call that returns an allocated string, on one OS thread.
func allocString(call func(out **C.char, n *C.size_t) C.lucairn_result) (string, error) {
	var out *C.char
	var n C.size_t
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := check(call(&out, &n)); err != nil {
		return "", err
	}
	return takeString(out, n), nil
}

// Sanitize replaces the personal data in text by placeholders. message and field say
// where the text sits in the request (such as 0 and "content"); they are recorded with
// each replaced value.
func (s *Sanitizer) Sanitize(message uint32, field, text string) (string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ptr == nil {
		return "", ErrClosed
	}
	return allocString(func(out **C.char, n *C.size_t) C.lucairn_result {
		return C.lucairn_sanitizer_sanitize_alloc(s.ptr, C.uint32_t(message), stringPtr(field), C.size_t(len(field)),
			stringPtr(text), C.size_t(len(text)), out, n)
	})
}

// ScanOutput scans a model's answer: the request's placeholders are re-linked
// (OutputRelink) or kept (OutputKeep), and personal data the model produced itself is
// replaced by a placeholder that can never be re-linked. message is the choice index.
func (s *Sanitizer) ScanOutput(message uint32, field, text string, mode OutputMode) (string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ptr == nil {
		return "", ErrClosed
	}
	return allocString(func(out **C.char, n *C.size_t) C.lucairn_result {
		return C.lucairn_sanitizer_scan_output_alloc(s.ptr, C.uint32_t(message), stringPtr(field), C.size_t(len(field)),
			stringPtr(text), C.size_t(len(text)), C.uint32_t(mode), out, n)
	})
}

// Relink restores the original values of the sanitizer's placeholders in text, also in
// the forms models give them (brackets dropped, case changed, markdown around).
// Relink(Sanitize(x)) == x.
func (s *Sanitizer) Relink(text string) (string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ptr == nil {
		return "", ErrClosed
	}
	return allocString(func(out **C.char, n *C.size_t) C.lucairn_result {
		return C.lucairn_sanitizer_relink_alloc(s.ptr, stringPtr(text), C.size_t(len(text)), out, n)
	})
}

// Mapping returns a copy of the placeholders given out so far and their values.
func (s *Sanitizer) Mapping() (*Mapping, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ptr == nil {
		return nil, ErrClosed
	}
	var ptr *C.lucairn_mapping
	var err error
	locked(func() { err = check(C.lucairn_sanitizer_mapping(s.ptr, &ptr)) })
	if err != nil {
		return nil, err
	}
	return newMapping(ptr), nil
}

// Mapping holds placeholders and the original values they stand for. It is immutable and
// safe for concurrent use. Close frees it; a finalizer frees one dropped without Close.
type Mapping struct {
	mu  sync.RWMutex
	ptr *C.lucairn_mapping
}

func newMapping(ptr *C.lucairn_mapping) *Mapping {
	m := &Mapping{ptr: ptr}
	runtime.SetFinalizer(m, (*Mapping).Close)
	return m
}

// OpenMapping opens a token made by Seal with the same key and tenant. A token of
// another key or tenant, or an altered one, is an error wrapping ErrTokenDecrypt.
func OpenMapping(token string, key []byte, tenant string) (*Mapping, error) {
	k, err := keyPtr("key", key)
	if err != nil {
		return nil, err
	}
	var ptr *C.lucairn_mapping
	locked(func() {
		err = check(C.lucairn_mapping_open(stringPtr(token), C.size_t(len(token)), k, stringPtr(tenant),
			C.size_t(len(tenant)), &ptr))
	})
	if err != nil {
		return nil, err
	}
	return newMapping(ptr), nil
}

// Close frees the mapping; later calls return ErrClosed. Closing twice is harmless.
func (m *Mapping) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ptr != nil {
		C.lucairn_mapping_free(m.ptr)
		m.ptr = nil
		runtime.SetFinalizer(m, nil)
	}
	return nil
}

// Len returns the number of placeholders (0 after Close).
func (m *Mapping) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var n C.size_t
	if m.ptr == nil || C.lucairn_mapping_len(m.ptr, &n) != C.LUCAIRN_RESULT_OK {
		return 0
	}
	return int(n)
}

// Relink restores the original values of the mapping's placeholders in text.
func (m *Mapping) Relink(text string) (string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.ptr == nil {
		return "", ErrClosed
	}
	return allocString(func(out **C.char, n *C.size_t) C.lucairn_result {
		return C.lucairn_mapping_relink_alloc(m.ptr, stringPtr(text), C.size_t(len(text)), out, n)
	})
}

// Seal encrypts the mapping into an opaque, URL-safe token for tenant with key (KeyLen
// bytes), so that a server can re-link an answer later without storing anything.
func (m *Mapping) Seal(key []byte, tenant string) (string, error) {
	k, err := keyPtr("key", key)
	if err != nil {
		return "", err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.ptr == nil {
		return "", ErrClosed
	}
	return allocString(func(out **C.char, n *C.size_t) C.lucairn_result {
		return C.lucairn_mapping_seal_alloc(m.ptr, k, stringPtr(tenant), C.size_t(len(tenant)), out, n)
	})
}

// Stream sanitises one text, or scans one answer, that arrives in chunks. Each Push
// returns the text that is safe to emit now; Finish returns the rest. For any way of
// cutting a text into chunks, the concatenated output equals what Sanitize (or
// ScanOutput) returns for the whole text.
//
// A Stream borrows its Sanitizer: until the Stream is closed, calls on the Sanitizer
// return an error wrapping ErrSanitizerBusy. Push from one goroutine at a time.
type Stream struct {
	mu  sync.Mutex
	ptr *C.lucairn_stream_sanitizer
}

// NewStream opens a stream that sanitises one text at message and field.
func (s *Sanitizer) NewStream(message uint32, field string) (*Stream, error) {
	return s.newStream(func(out **C.lucairn_stream_sanitizer) C.lucairn_result {
		return C.lucairn_stream_sanitizer_new(s.ptr, C.uint32_t(message), stringPtr(field), C.size_t(len(field)), out)
	})
}

// NewOutputStream opens a stream that scans one model answer, as ScanOutput does.
func (s *Sanitizer) NewOutputStream(message uint32, field string, mode OutputMode) (*Stream, error) {
	return s.newStream(func(out **C.lucairn_stream_sanitizer) C.lucairn_result {
		return C.lucairn_stream_sanitizer_new_output(s.ptr, C.uint32_t(message), stringPtr(field),
			C.size_t(len(field)), C.uint32_t(mode), out)
	})
}

func (s *Sanitizer) newStream(open func(**C.lucairn_stream_sanitizer) C.lucairn_result) (*Stream, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ptr == nil {
		return nil, ErrClosed
	}
	var ptr *C.lucairn_stream_sanitizer
	var err error
	locked(func() { err = check(open(&ptr)) })
	if err != nil {
		return nil, err
	}
	st := &Stream{ptr: ptr}
	runtime.SetFinalizer(st, (*Stream).Close)
	return st, nil
}

// Push adds a chunk, which may end inside a UTF-8 character, and returns the output that
// can be emitted now (often empty while a possible finding is held back).
func (st *Stream) Push(chunk []byte) (string, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ptr == nil {
		return "", ErrClosed
	}
	return allocString(func(out **C.char, n *C.size_t) C.lucairn_result {
		return C.lucairn_stream_sanitizer_push(st.ptr, bytesPtr(chunk), C.size_t(len(chunk)), out, n)
	})
}

// Finish ends the text and returns the rest of the output. The stream may then take a
// new text.
func (st *Stream) Finish() (string, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ptr == nil {
		return "", ErrClosed
	}
	return allocString(func(out **C.char, n *C.size_t) C.lucairn_result {
		return C.lucairn_stream_sanitizer_finish(st.ptr, out, n)
	})
}

// Close frees the stream and gives its Sanitizer back (with the placeholders of what was
// pushed). Output not taken with Finish is dropped. Closing twice is harmless.
func (st *Stream) Close() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ptr != nil {
		C.lucairn_stream_sanitizer_free(st.ptr)
		st.ptr = nil
		runtime.SetFinalizer(st, nil)
	}
	return nil
}

// Relinker re-links a model answer that arrives in chunks, holding back only what could
// still become a placeholder. Push from one goroutine at a time.
type Relinker struct {
	mu  sync.Mutex
	ptr *C.lucairn_stream_relinker
}

// NewRelinker opens a streaming re-linker with a copy of the mapping.
func (m *Mapping) NewRelinker() (*Relinker, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.ptr == nil {
		return nil, ErrClosed
	}
	var ptr *C.lucairn_stream_relinker
	var err error
	locked(func() { err = check(C.lucairn_stream_relinker_new(m.ptr, &ptr)) })
	if err != nil {
		return nil, err
	}
	r := &Relinker{ptr: ptr}
	runtime.SetFinalizer(r, (*Relinker).Close)
	return r, nil
}

// Push adds a chunk and returns the re-linked text that can be emitted now.
func (r *Relinker) Push(chunk []byte) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ptr == nil {
		return "", ErrClosed
	}
	return allocString(func(out **C.char, n *C.size_t) C.lucairn_result {
		return C.lucairn_stream_relinker_push(r.ptr, bytesPtr(chunk), C.size_t(len(chunk)), out, n)
	})
}

// Finish ends the answer and returns the rest; the Relinker may then take a new answer.
func (r *Relinker) Finish() (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ptr == nil {
		return "", ErrClosed
	}
	return allocString(func(out **C.char, n *C.size_t) C.lucairn_result {
		return C.lucairn_stream_relinker_finish(r.ptr, out, n)
	})
}

// Close frees the Relinker. Closing twice is harmless.
func (r *Relinker) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ptr != nil {
		C.lucairn_stream_relinker_free(r.ptr)
		r.ptr = nil
		runtime.SetFinalizer(r, nil)
	}
	return nil
}
