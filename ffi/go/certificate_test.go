package lucairn_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	lucairn "github.com/lucairn/lucairn/ffi/go"
)

// The committed test vectors of the certificate format.
var vectorDir = filepath.Join("..", "..", "testdata", "certificate")

func vector(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectorDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type expectedVectors struct {
	Key struct {
		PublicKey string `json:"public_key"`
		KeyID     string `json:"key_id"`
	} `json:"key"`
	CertificateDigest  string `json:"certificate_digest"`
	Certificate2Digest string `json:"certificate_2_digest"`
}

func expected(t testing.TB) (expectedVectors, lucairn.PublicKey) {
	t.Helper()
	var x expectedVectors
	if err := json.Unmarshal(vector(t, "expected.json"), &x); err != nil {
		t.Fatal(err)
	}
	key, err := lucairn.ParsePublicKey(x.Key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return x, key
}

// A key of another generation (RFC 8032's first test key).
var otherKey, _ = lucairn.ParsePublicKey("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")

func TestVerifyCertificate(t *testing.T) {
	x, key := expected(t)
	info, err := lucairn.VerifyCertificate(vector(t, "certificate.json"), otherKey, key)
	if err != nil {
		t.Fatal(err)
	}
	want := lucairn.CertificateInfo{
		Version:        1,
		ID:             "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
		KeyID:          x.Key.KeyID,
		IssuedAt:       "2025-03-01T12:00:00Z",
		Digest:         x.CertificateDigest,
		Previous:       "",
		Findings:       3,
		OutputFindings: 1,
	}
	if *info != want {
		t.Errorf("got %+v\nwant %+v", *info, want)
	}
	pretty, err := lucairn.VerifyCertificate(vector(t, "certificate.pretty.json"), key)
	if err != nil || pretty.Digest != x.CertificateDigest {
		t.Errorf("pretty: %+v, %v", pretty, err)
	}
	second, err := lucairn.VerifyCertificate(vector(t, "certificate-2.json"), key)
	if err != nil || second.Previous != x.CertificateDigest || second.Digest != x.Certificate2Digest {
		t.Errorf("second: %+v, %v", second, err)
	}
}

func TestCertificateFailures(t *testing.T) {
	_, key := expected(t)
	good := vector(t, "certificate.json")
	cases := []struct {
		name string
		cert []byte
		keys []lucairn.PublicKey
		want error
	}{
		{"tampered", vector(t, "certificate.tampered.json"), []lucairn.PublicKey{key}, lucairn.ErrBadSignature},
		{"unknown key", good, []lucairn.PublicKey{otherKey}, lucairn.ErrUnknownKey},
		{"no keys", good, nil, lucairn.ErrUnknownKey},
		{"not JSON", []byte("not json"), []lucairn.PublicKey{key}, lucairn.ErrCertificateMalformed},
		{"truncated", good[:len(good)/2], []lucairn.PublicKey{key}, lucairn.ErrCertificateMalformed},
		{"version 2", bytes.Replace(good, []byte(`"version":1}`), []byte(`"version":2}`), 1), []lucairn.PublicKey{key}, lucairn.ErrCertificateVersion},
		{"invalid UTF-8", []byte("{\xff}"), []lucairn.PublicKey{key}, lucairn.ErrInvalidUTF8},
	}
	for _, c := range cases {
		info, err := lucairn.VerifyCertificate(c.cert, c.keys...)
		if info != nil || !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, %v; want %v", c.name, info, err, c.want)
		}
	}
	// 32 bytes that are no point of the curve.
	var notAKey lucairn.PublicKey
	copy(notAKey[:], bytes.Repeat([]byte{0x11}, 32))
	notAKey[0] = 0
	if _, err := lucairn.VerifyCertificate(good, notAKey); !errors.Is(err, lucairn.ErrInvalidPublicKey) {
		t.Errorf("invalid key: %v", err)
	}
	if _, err := lucairn.ParsePublicKey("abc"); !errors.Is(err, lucairn.ErrInvalidPublicKey) {
		t.Errorf("short hex: %v", err)
	}
	_, err := lucairn.VerifyCertificate(vector(t, "certificate.tampered.json"), key)
	if err == nil || err.Error() != "lucairn: bad certificate signature: bad signature" {
		t.Errorf("message: %v", err)
	}
}

func TestVerifyCertificateChain(t *testing.T) {
	x, key := expected(t)
	first, second := vector(t, "certificate.json"), vector(t, "certificate-2.json")
	info, err := lucairn.VerifyCertificateChain([][]byte{first, second}, key)
	if err != nil || info.Digest != x.Certificate2Digest {
		t.Fatalf("got %+v, %v", info, err)
	}
	_, err = lucairn.VerifyCertificateChain([][]byte{second, first}, key)
	if !errors.Is(err, lucairn.ErrChainBroken) || !strings.Contains(err.Error(), "certificate 1") {
		t.Errorf("reversed: %v", err)
	}
	_, err = lucairn.VerifyCertificateChain([][]byte{first, vector(t, "certificate.tampered.json")}, key)
	if !errors.Is(err, lucairn.ErrBadSignature) || !strings.Contains(err.Error(), "certificate 1") {
		t.Errorf("tampered: %v", err)
	}
	if _, err := lucairn.VerifyCertificateChain(nil, key); err == nil {
		t.Error("an empty chain verified")
	}
	if _, err := lucairn.VerifyCertificateChain([][]byte{first, {}}, key); err == nil {
		t.Error("an empty certificate verified")
	}
}
