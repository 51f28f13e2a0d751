// Package lucairn finds personal data in text: e-mail addresses, phone numbers,
// national identifiers, IBANs and card numbers, secrets and more. It is a thin cgo
// wrapper over liblucairn, the C library of the Lucairn engine (the Rust crate
// lucairn-ffi).
//
// An Engine is built once from a policy and used from any number of goroutines:
//
//	engine, err := lucairn.NewEngine(nil) // nil: the default policy
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer engine.Close()
//	findings, err := engine.ScanString("write to anna@example.org")
//
// Offsets in findings are byte offsets into the scanned text. Texts must be valid
// UTF-8; anything else is an error wrapping ErrInvalidUTF8.
//
// A Sanitizer (Engine.NewSanitizer, one per request) replaces personal data by
// placeholders such as [EMAIL_ADDRESS_1] and restores them in the model's answer
// (Relink, ScanOutput); Stream and Relinker do the same for text that arrives in chunks.
// A Mapping can be sealed into a token and opened again (Seal, OpenMapping).
// VerifyCertificate and VerifyCertificateChain check signed certificates against public
// keys.
//
// # Linking
//
// The package compiles against the header in ../include and links -llucairn. Install
// the library with `make -C ffi install PREFIX=/usr/local` (see the repository README),
// or point the linker at a build: CGO_LDFLAGS=-L/path/to/dir/with/liblucairn.a.
package lucairn

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#cgo LDFLAGS: -llucairn -lm -ldl -lpthread
#include <stdlib.h>
#include "lucairn.h"
*/
import "C"

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Finding is one piece of personal data found in a text.
type Finding struct {
	// Start and End are byte offsets into the scanned text: text[Start:End] is the value.
	Start, End int
	// Kind names the kind of data, such as "EMAIL_ADDRESS", or a kind the policy defines.
	Kind string
	// Score is the confidence, in [0, 1].
	Score float32
	// Detector names the detector that found it, such as "email" or "custom_regex".
	Detector string
}

// Engine is a compiled policy, ready to scan text. It is safe for concurrent use.
//
// Close frees the engine's memory; an Engine that becomes unreachable without being
// closed is freed by a finalizer.
type Engine struct {
	// mu guards ptr: calls hold it for reading, Close for writing.
	mu  sync.RWMutex
	ptr *C.lucairn_engine
	// custom holds the names of the policy's own kinds, by id - LUCAIRN_KIND_CUSTOM_FIRST.
	custom []string
}

// ErrClosed is returned by calls on an Engine, Sanitizer, Mapping, Stream or Relinker
// after its Close.
var ErrClosed = errors.New("lucairn: used after Close")

// NewEngine builds an engine from a policy in JSON (see the repository README for the
// fields). A nil or empty policy means the default policy. An invalid policy returns an
// error wrapping ErrInvalidPolicy whose message names the bad entry.
func NewEngine(policyJSON []byte) (*Engine, error) {
	var ptr *C.lucairn_engine
	var r C.lucairn_result
	var err error
	locked(func() {
		if len(policyJSON) == 0 {
			r = C.lucairn_engine_new(nil, 0, &ptr)
		} else {
			r = C.lucairn_engine_new(bytesPtr(policyJSON), C.size_t(len(policyJSON)), &ptr)
		}
		err = check(r)
	})
	if err != nil {
		return nil, err
	}
	e := &Engine{ptr: ptr}
	e.custom = customKinds(ptr)
	runtime.SetFinalizer(e, (*Engine).Close)
	return e, nil
}

// Close frees the engine. It waits for calls in progress on other goroutines; later calls
// return ErrClosed. Closing twice is harmless.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ptr != nil {
		C.lucairn_engine_free(e.ptr)
		e.ptr = nil
		runtime.SetFinalizer(e, nil)
	}
	return nil
}

// Scan finds personal data in text (UTF-8). Findings are sorted by position and never
// overlap.
func (e *Engine) Scan(text []byte) ([]Finding, error) {
	return e.scan(bytesPtr(text), len(text))
}

// ScanString is Scan for a string; the text is not copied.
func (e *Engine) ScanString(text string) ([]Finding, error) {
	return e.scan(stringPtr(text), len(text))
}

// Redact returns text with every finding replaced by [KIND].
func (e *Engine) Redact(text []byte) ([]byte, error) {
	return e.redact(bytesPtr(text), len(text))
}

// RedactString is Redact for a string.
func (e *Engine) RedactString(text string) (string, error) {
	out, err := e.redact(stringPtr(text), len(text))
	return string(out), err
}

// PolicyDigest returns the digest of the engine's policy (64 hex digits), as quoted by
// certificates.
func (e *Engine) PolicyDigest() (string, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.ptr == nil {
		return "", ErrClosed
	}
	var buf [80]C.char
	var n C.size_t
	var err error
	locked(func() { err = check(C.lucairn_engine_policy_digest(e.ptr, &buf[0], C.size_t(len(buf)), &n)) })
	if err != nil {
		return "", err
	}
	return C.GoStringN(&buf[0], C.int(n)), nil
}

// findingWords is the size of a lucairn_finding in 8-byte words.
const findingWords = C.sizeof_lucairn_finding / 8

// A lucairn_finding must be a whole number of words (this fails to compile otherwise).
const _ = uint(0) - C.sizeof_lucairn_finding%8

// findingBuffer is memory for C to write findings into. It is allocated as words without
// Go pointers (the detector fields hold C pointers), so that cgo's pointer check need not
// inspect every element on each call.
type findingBuffer struct {
	words []uint64
	count C.size_t
}

func (b *findingBuffer) findings() []C.lucairn_finding {
	return unsafe.Slice((*C.lucairn_finding)(unsafe.Pointer(&b.words[0])), len(b.words)/findingWords)
}

// findingBuffers recycles the buffers that scans write into.
var findingBuffers = sync.Pool{New: func() any {
	return &findingBuffer{words: make([]uint64, 16*findingWords)}
}}

func (e *Engine) scan(text *C.uint8_t, n int) ([]Finding, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.ptr == nil {
		return nil, ErrClosed
	}
	b := findingBuffers.Get().(*findingBuffer)
	defer findingBuffers.Put(b)
	// The error detail is kept per thread: read it on the thread that failed.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	count := &b.count
	for {
		buf := b.findings()
		// A plain pointer (not &buf[0]) so that cgo checks one element, not the slice.
		first := &buf[0]
		r := C.lucairn_engine_scan(e.ptr, text, C.size_t(n), first, C.size_t(len(buf)), count)
		if r == C.LUCAIRN_RESULT_BUFFER_TOO_SMALL && int(*count) > len(buf) {
			b.words = make([]uint64, int(*count)*findingWords)
			continue
		}
		if err := check(r); err != nil {
			return nil, err
		}
		break
	}
	n = int(*count)
	if n == 0 {
		return nil, nil
	}
	out := make([]Finding, n)
	for i, f := range b.findings()[:n] {
		out[i] = Finding{
			Start:    int(f.start),
			End:      int(f.end),
			Kind:     e.kindName(uint32(f.kind)),
			Score:    float32(f.score),
			Detector: staticString(f.detector),
		}
	}
	return out, nil
}

func (e *Engine) redact(text *C.uint8_t, n int) ([]byte, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.ptr == nil {
		return nil, ErrClosed
	}
	// Redaction rarely grows a text by much; one retry covers the rest.
	buf := make([]byte, n+n/4+64)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var size C.size_t
	for {
		r := C.lucairn_engine_redact(e.ptr, text, C.size_t(n), (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &size)
		if r == C.LUCAIRN_RESULT_BUFFER_TOO_SMALL && int(size) >= len(buf) {
			buf = make([]byte, int(size)+1)
			continue
		}
		if err := check(r); err != nil {
			return nil, err
		}
		break
	}
	return buf[:size], nil
}

// builtinKinds are the names of the built-in kinds, by id.
var builtinKinds = func() []string {
	n := uint32(C.lucairn_kind_builtin_count())
	names := make([]string, n)
	for i := range names {
		names[i] = C.GoString(C.lucairn_kind_name(C.uint32_t(i)))
	}
	return names
}()

// customKinds reads the names of the kinds a policy defines, in id order.
func customKinds(ptr *C.lucairn_engine) []string {
	var names []string
	var buf [128]C.char
	for {
		var n C.size_t
		id := C.uint32_t(C.LUCAIRN_KIND_CUSTOM_FIRST + len(names))
		if C.lucairn_engine_kind_name(ptr, id, &buf[0], C.size_t(len(buf)), &n) != C.LUCAIRN_RESULT_OK {
			return names
		}
		names = append(names, C.GoStringN(&buf[0], C.int(n)))
	}
}

func (e *Engine) kindName(id uint32) string {
	if int(id) < len(builtinKinds) {
		return builtinKinds[id]
	}
	if i := int(id) - C.LUCAIRN_KIND_CUSTOM_FIRST; i >= 0 && i < len(e.custom) {
		return e.custom[i]
	}
	return "UNKNOWN"
}

// detectorNames maps the static C strings of detector names to Go strings. It is
// copied on write (detectors are few), so that reads take no lock and allocate nothing.
var (
	detectorNames atomic.Value // map[*C.char]string
	detectorMu    sync.Mutex
)

func staticString(p *C.char) string {
	if p == nil {
		return ""
	}
	m, _ := detectorNames.Load().(map[*C.char]string)
	if s, ok := m[p]; ok {
		return s
	}
	detectorMu.Lock()
	defer detectorMu.Unlock()
	m, _ = detectorNames.Load().(map[*C.char]string)
	if s, ok := m[p]; ok {
		return s
	}
	next := make(map[*C.char]string, len(m)+1)
	for k, v := range m {
		next[k] = v
	}
	s := C.GoString(p)
	next[p] = s
	detectorNames.Store(next)
	return s
}

func bytesPtr(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0]))
}

// stringHeader is the layout of a string value (reflect.StringHeader without uintptr).
type stringHeader struct {
	data unsafe.Pointer
	len  int
}

func stringPtr(s string) *C.uint8_t {
	if len(s) == 0 {
		return nil
	}
	return (*C.uint8_t)((*stringHeader)(unsafe.Pointer(&s)).data)
}

// locked runs f on one OS thread, so that an error's detail (kept per thread by the C
// library) is read on the thread that failed.
func locked(f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	f()
}
