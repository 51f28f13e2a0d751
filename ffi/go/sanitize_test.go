package lucairn_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	lucairn "github.com/lucairn/lucairn/ffi/go"
)

const sanitizePolicy = `{"only": ["EMAIL_ADDRESS", "EMPLOYEE_ID"],
	"custom": [{"kind": "EMPLOYEE_ID", "regex": "EMP-[0-9]{6}"}]}`

var requestTexts = []string{
	"Mail ana@example.org and bo@example.net about EMP-004211.",
	"Write to zoë@exemple.fr, not EMP-004211.",
	"I typed [EMAIL_ADDRESS_1] myself",
}

var tokenKey = bytes.Repeat([]byte{7}, lucairn.KeyLen)

func newSanitizer(t testing.TB, secret []byte) *lucairn.Sanitizer {
	t.Helper()
	s, err := newEngine(t, sanitizePolicy).NewSanitizer(secret)
	if err != nil {
		t.Fatalf("NewSanitizer: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSanitizeAndRelink(t *testing.T) {
	s := newSanitizer(t, nil)
	var clean []string
	for i, text := range requestTexts {
		c, err := s.Sanitize(uint32(i), "content", text)
		if err != nil {
			t.Fatal(err)
		}
		clean = append(clean, c)
		back, err := s.Relink(c)
		if err != nil || back != text {
			t.Errorf("Relink(%q) = %q, %v; want %q", c, back, err, text)
		}
	}
	want := []string{
		"Mail [EMAIL_ADDRESS_1] and [EMAIL_ADDRESS_2] about [EMPLOYEE_ID_1].",
		"Write to [EMAIL_ADDRESS_3], not [EMPLOYEE_ID_1].",
	}
	for i, w := range want {
		if clean[i] != w {
			t.Errorf("text %d: got %q, want %q", i, clean[i], w)
		}
	}
	if strings.Contains(clean[2], "[EMAIL_ADDRESS_1]") {
		t.Errorf("a typed placeholder was not kept apart: %q", clean[2])
	}

	answer := "Done, email_address_1; I also wrote to new@example.com."
	kept, err := s.ScanOutput(0, "content", answer, lucairn.OutputKeep)
	if err != nil || kept != "Done, email_address_1; I also wrote to [EMAIL_ADDRESS_4]." {
		t.Errorf("keep: %q, %v", kept, err)
	}
	shown, err := s.ScanOutput(0, "content", answer, lucairn.OutputRelink)
	if err != nil || shown != "Done, ana@example.org; I also wrote to [EMAIL_ADDRESS_4]." {
		t.Errorf("relink: %q, %v", shown, err)
	}
	if _, err := s.ScanOutput(0, "content", answer, lucairn.OutputMode(7)); !errors.Is(err, lucairn.ErrInvalidArgument) {
		t.Errorf("bad mode: %v", err)
	}

	m, err := s.Mapping()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Len() != 4 {
		t.Errorf("mapping has %d placeholders, want 4", m.Len())
	}
	if got, _ := m.Relink("Sent to **EMAIL_ADDRESS_2**"); got != "Sent to **bo@example.net**" {
		t.Errorf("mapping relink: %q", got)
	}
}

func TestTenantSecretGivesStablePlaceholders(t *testing.T) {
	secret := bytes.Repeat([]byte{0x42}, lucairn.KeyLen)
	a, _ := newSanitizer(t, secret).Sanitize(0, "content", "from ana@example.org")
	b, _ := newSanitizer(t, secret).Sanitize(0, "content", "from ana@example.org")
	if a != b || len(a) != len("from [EMAIL_ADDRESS_123456]") {
		t.Errorf("got %q and %q", a, b)
	}
	if _, err := newEngine(t, "").NewSanitizer([]byte("short")); !errors.Is(err, lucairn.ErrInvalidArgument) {
		t.Errorf("short secret: %v", err)
	}
}

func TestSanitizeErrors(t *testing.T) {
	s := newSanitizer(t, nil)
	if _, err := s.Sanitize(0, "content", "caf\xc3"); !errors.Is(err, lucairn.ErrInvalidUTF8) {
		t.Errorf("got %v", err)
	}
	if _, err := s.Sanitize(0, "\xff", "ok"); !errors.Is(err, lucairn.ErrInvalidUTF8) {
		t.Errorf("field: got %v", err)
	}
	if got, err := s.Sanitize(0, "", ""); got != "" || err != nil {
		t.Errorf("empty: %q, %v", got, err)
	}
	s.Close()
	if _, err := s.Sanitize(0, "content", "x"); err != lucairn.ErrClosed {
		t.Errorf("after Close: %v", err)
	}
	if _, err := s.Mapping(); err != lucairn.ErrClosed {
		t.Errorf("after Close: %v", err)
	}
}

func TestMappingTokens(t *testing.T) {
	s := newSanitizer(t, nil)
	clean, _ := s.Sanitize(0, "content", requestTexts[0])
	m, err := s.Mapping()
	if err != nil {
		t.Fatal(err)
	}
	token, err := m.Seal(tokenKey, "tenant-a")
	m.Close()
	if err != nil {
		t.Fatal(err)
	}
	opened, err := lucairn.OpenMapping(token, tokenKey, "tenant-a")
	if err != nil {
		t.Fatal(err)
	}
	if back, _ := opened.Relink(clean); back != requestTexts[0] {
		t.Errorf("got %q", back)
	}
	opened.Close()
	if _, err := lucairn.OpenMapping(token, tokenKey, "tenant-b"); !errors.Is(err, lucairn.ErrTokenDecrypt) {
		t.Errorf("other tenant: %v", err)
	}
	if _, err := lucairn.OpenMapping("not a token", tokenKey, "tenant-a"); !errors.Is(err, lucairn.ErrTokenMalformed) {
		t.Errorf("not a token: %v", err)
	}
	if _, err := lucairn.OpenMapping(token, tokenKey[:5], "tenant-a"); !errors.Is(err, lucairn.ErrInvalidArgument) {
		t.Errorf("short key: %v", err)
	}
	if _, err := m.Seal(tokenKey, "x"); err != lucairn.ErrClosed {
		t.Errorf("after Close: %v", err)
	}
}

// streamAll pushes text cut at cuts (byte offsets, possibly inside a character).
func streamAll(push func([]byte) (string, error), finish func() (string, error), text string, cuts ...int) (string, error) {
	var out strings.Builder
	from := 0
	for _, c := range append(cuts, len(text)) {
		piece, err := push([]byte(text[from:c]))
		if err != nil {
			return "", err
		}
		out.WriteString(piece)
		from = c
	}
	rest, err := finish()
	return out.String() + rest, err
}

func TestStreamsEqualTheWholeText(t *testing.T) {
	text := requestTexts[1]
	want, _ := newSanitizer(t, nil).Sanitize(0, "content", text)
	e := newEngine(t, sanitizePolicy)
	for cut := 0; cut <= len(text); cut++ {
		s, err := e.NewSanitizer(nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		st, err := s.NewStream(0, "content")
		if err != nil {
			t.Fatal(err)
		}
		got, err := streamAll(st.Push, st.Finish, text, cut)
		if err != nil || got != want {
			t.Fatalf("cut at %d: %q, %v; want %q", cut, got, err, want)
		}
		if _, err := s.Relink(got); !errors.Is(err, lucairn.ErrSanitizerBusy) {
			t.Errorf("while streaming: %v", err)
		}
		st.Close()
		if back, err := s.Relink(got); back != text || err != nil {
			t.Errorf("after the stream: %q, %v", back, err)
		}

		m, _ := s.Mapping()
		r, err := m.NewRelinker()
		m.Close()
		if err != nil {
			t.Fatal(err)
		}
		back, err := streamAll(r.Push, r.Finish, got, cut*len(got)/len(text))
		if err != nil || back != text {
			t.Errorf("relinker, cut at %d: %q, %v", cut, back, err)
		}
		r.Close()
	}
}

func TestOutputStream(t *testing.T) {
	s := newSanitizer(t, nil)
	if _, err := s.Sanitize(0, "content", requestTexts[0]); err != nil {
		t.Fatal(err)
	}
	st, err := s.NewOutputStream(0, "content", lucairn.OutputRelink)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.NewStream(1, "content"); !errors.Is(err, lucairn.ErrSanitizerBusy) {
		t.Errorf("second stream: %v", err)
	}
	got, err := streamAll(st.Push, st.Finish, "Dear [EMAIL_ADDRESS_2], write to x@example.com", 8, 15)
	if err != nil || got != "Dear bo@example.net, write to [EMAIL_ADDRESS_3]" {
		t.Errorf("got %q, %v", got, err)
	}
	st.Close()
	if _, err := st.Push([]byte("x")); err != lucairn.ErrClosed {
		t.Errorf("after Close: %v", err)
	}
}

func TestOneSanitizerManyGoroutines(t *testing.T) {
	s := newSanitizer(t, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				text := fmt.Sprintf("to %c@example.org", 'a'+(g+i)%4)
				clean, err := s.Sanitize(uint32(g), "content", text)
				if err == nil {
					var back string
					back, err = s.Relink(clean)
					if err == nil && back != text {
						err = fmt.Errorf("%q came back as %q", text, back)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	m, _ := s.Mapping()
	defer m.Close()
	if m.Len() != 4 {
		t.Errorf("%d placeholders, want one per value", m.Len())
	}
}

func ExampleSanitizer() {
	engine, err := lucairn.NewEngine(nil)
	if err != nil {
		panic(err)
	}
	defer engine.Close()
	s, err := engine.NewSanitizer(nil)
	if err != nil {
		panic(err)
	}
	defer s.Close()

	clean, _ := s.Sanitize(0, "content", "Please reply to ana@example.org")
	fmt.Println(clean)
	answer := "I will write to [EMAIL_ADDRESS_1] today."
	shown, _ := s.Relink(answer)
	fmt.Println(shown)
	// Output:
	// Please reply to [EMAIL_ADDRESS_1]
	// I will write to ana@example.org today.
}

func BenchmarkSanitize(b *testing.B) {
	s := newSanitizer(b, nil)
	text := benchTexts[1].text
	for i := 0; i < b.N; i++ {
		if _, err := s.Sanitize(0, "content", text); err != nil {
			b.Fatal(err)
		}
	}
}
