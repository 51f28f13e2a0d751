package lucairn_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	lucairn "github.com/lucairn/lucairn/ffi/go"
)

// policy reports e-mail addresses, an employee id and a deny-list term; "only" keeps
// other detectors out of the way.
const policy = `{
	"only": ["EMAIL_ADDRESS", "EMPLOYEE_ID", "PROJECT"],
	"deny": [{"term": "falcon", "kind": "PROJECT"}],
	"custom": [{"kind": "EMPLOYEE_ID", "regex": "EMP-[0-9]{6}"}]
}`

const message = "mail ops@example.com about EMP-004211, cc: zoë.ñandú@exemple.fr (project falcon)"

func newEngine(t testing.TB, policy string) *lucairn.Engine {
	t.Helper()
	e, err := lucairn.NewEngine([]byte(policy))
	if err != nil {
		t.Fatalf("NewEngine: %v", err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

type value struct {
	text, kind, detector string
}

func values(text string, findings []lucairn.Finding) []value {
	var out []value
	for _, f := range findings {
		out = append(out, value{text[f.Start:f.End], f.Kind, f.Detector})
	}
	return out
}

func TestScanString(t *testing.T) {
	e := newEngine(t, policy)
	found, err := e.ScanString(message)
	if err != nil {
		t.Fatal(err)
	}
	got := values(message, found)
	want := []value{
		{"ops@example.com", "EMAIL_ADDRESS", "email"},
		{"EMP-004211", "EMPLOYEE_ID", "custom_regex"},
		{"zoë.ñandú@exemple.fr", "EMAIL_ADDRESS", "email"},
		{"falcon", "PROJECT", "deny_list"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	for _, f := range found {
		if f.Score < 0 || f.Score > 1 {
			t.Errorf("score %v out of range", f.Score)
		}
	}
	fromBytes, err := e.Scan([]byte(message))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(fromBytes) != fmt.Sprint(found) {
		t.Errorf("Scan and ScanString differ:\n%v\n%v", fromBytes, found)
	}
}

func TestDefaultPolicy(t *testing.T) {
	for _, p := range [][]byte{nil, {}} {
		e, err := lucairn.NewEngine(p)
		if err != nil {
			t.Fatal(err)
		}
		text := "write to anna@example.org"
		found, err := e.ScanString(text)
		if err != nil {
			t.Fatal(err)
		}
		last := found[len(found)-1]
		if text[last.Start:last.End] != "anna@example.org" || last.Kind != "EMAIL_ADDRESS" {
			t.Errorf("got %+v", found)
		}
		e.Close()
	}
}

func TestManyFindingsGrowTheBuffer(t *testing.T) {
	e := newEngine(t, policy)
	var b strings.Builder
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, "user%d@example.com, ", i)
	}
	found, err := e.ScanString(b.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 300 {
		t.Fatalf("%d findings, want 300", len(found))
	}
	if got := b.String()[found[299].Start:found[299].End]; got != "user299@example.com" {
		t.Errorf("last finding %q", got)
	}
}

func TestEmptyText(t *testing.T) {
	e := newEngine(t, policy)
	for _, f := range []func() ([]lucairn.Finding, error){
		func() ([]lucairn.Finding, error) { return e.ScanString("") },
		func() ([]lucairn.Finding, error) { return e.Scan(nil) },
		func() ([]lucairn.Finding, error) { return e.Scan([]byte{}) },
	} {
		found, err := f()
		if err != nil || len(found) != 0 {
			t.Errorf("got %v, %v", found, err)
		}
	}
	if s, err := e.RedactString(""); s != "" || err != nil {
		t.Errorf("got %q, %v", s, err)
	}
}

func TestInvalidUTF8(t *testing.T) {
	e := newEngine(t, policy)
	_, err := e.Scan([]byte("caf\xc3"))
	if !errors.Is(err, lucairn.ErrInvalidUTF8) {
		t.Fatalf("got %v", err)
	}
	if errors.Is(err, lucairn.ErrInvalidPolicy) {
		t.Errorf("%v matches ErrInvalidPolicy", err)
	}
	var le *lucairn.Error
	if !errors.As(err, &le) || le.Detail != "text: invalid UTF-8 at byte 3" {
		t.Errorf("detail of %v", err)
	}
	if _, err := e.RedactString("ok \xff"); !errors.Is(err, lucairn.ErrInvalidUTF8) {
		t.Errorf("redact: got %v", err)
	}
}

func TestInvalidPolicy(t *testing.T) {
	cases := map[string]string{
		`{"custom": [{"kind": "EMPLOYEE_ID", "regex": "EMP-("}]}`: "policy.custom[0] (EMPLOYEE_ID): invalid regex",
		`{"threshold": 3}`:    "policy.threshold: threshold 3 is outside [0, 1]",
		`{"only": ["NOPE"]}`:  `policy.only: unknown kind "NOPE"`,
		`{"colour": "green"}`: "unknown field `colour`",
		`not json`:            "invalid policy",
	}
	for p, want := range cases {
		e, err := lucairn.NewEngine([]byte(p))
		if e != nil || !errors.Is(err, lucairn.ErrInvalidPolicy) {
			t.Errorf("%s: got %v, %v", p, e, err)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %q does not mention %q", p, err, want)
		}
	}
}

func TestRedact(t *testing.T) {
	e := newEngine(t, policy)
	want := "mail [EMAIL_ADDRESS] about [EMPLOYEE_ID], cc: [EMAIL_ADDRESS] (project [PROJECT])"
	if got, err := e.RedactString(message); got != want || err != nil {
		t.Errorf("got %q, %v", got, err)
	}
	if got, err := e.Redact([]byte(message)); string(got) != want || err != nil {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestRedactionLongerThanTheGuess(t *testing.T) {
	e := newEngine(t, `{"only": ["A_RATHER_LONG_KIND_NAME_FOR_ONE_LETTER"],
		"custom": [{"kind": "A_RATHER_LONG_KIND_NAME_FOR_ONE_LETTER", "words": ["x"]}]}`)
	text := strings.Repeat("x ", 50)
	want := strings.Repeat("[A_RATHER_LONG_KIND_NAME_FOR_ONE_LETTER] ", 50)
	if got, err := e.RedactString(text); got != want || err != nil {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestClose(t *testing.T) {
	e, err := lucairn.NewEngine([]byte(policy))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := e.ScanString(message); err != lucairn.ErrClosed {
		t.Errorf("Scan after Close: %v", err)
	}
	if _, err := e.Redact([]byte(message)); err != lucairn.ErrClosed {
		t.Errorf("Redact after Close: %v", err)
	}
}

func TestPolicyDigest(t *testing.T) {
	a, err := newEngine(t, policy).PolicyDigest()
	if err != nil || len(a) != 64 {
		t.Fatalf("got %q, %v", a, err)
	}
	b, _ := newEngine(t, `{}`).PolicyDigest()
	if a == b {
		t.Errorf("different policies share digest %s", a)
	}
}

func TestConcurrentScans(t *testing.T) {
	e := newEngine(t, policy)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				text := strings.Repeat(" ", (g+i)%7) + message
				found, err := e.ScanString(text)
				if err == nil && (len(found) != 4 || text[found[1].Start:found[1].End] != "EMP-004211") {
					err = fmt.Errorf("goroutine %d: %v", g, found)
				}
				if i%40 == 0 && err == nil {
					_, err = e.Scan([]byte("\xff"))
					if !errors.Is(err, lucairn.ErrInvalidUTF8) {
						err = fmt.Errorf("goroutine %d: %v", g, err)
					} else {
						err = nil
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
}

func TestCodesDescribeThemselves(t *testing.T) {
	if got := lucairn.CodeInvalidPolicy.String(); got != "invalid policy" {
		t.Errorf("got %q", got)
	}
	if got := lucairn.Code(12345).String(); got != "unknown result code" {
		t.Errorf("got %q", got)
	}
}

func Example() {
	engine, err := lucairn.NewEngine([]byte(`{"only": ["EMAIL_ADDRESS", "EMPLOYEE_ID"],
		"custom": [{"kind": "EMPLOYEE_ID", "regex": "EMP-[0-9]{6}"}]}`))
	if err != nil {
		panic(err)
	}
	defer engine.Close()

	text := "Ask anna.schmidt@example.org about EMP-004211."
	findings, _ := engine.ScanString(text)
	for _, f := range findings {
		fmt.Println(f.Kind, f.Start, f.End, text[f.Start:f.End])
	}
	redacted, _ := engine.RedactString(text)
	fmt.Println(redacted)
	// Output:
	// EMAIL_ADDRESS 4 28 anna.schmidt@example.org
	// EMPLOYEE_ID 35 45 EMP-004211
	// Ask [EMAIL_ADDRESS] about [EMPLOYEE_ID].
}

// The texts of the Rust benchmark (cargo bench -p lucairn-ffi --bench ffi): the
// difference per call is the cost of crossing from Go into the library.
var benchTexts = []struct{ name, text string }{
	{"empty", ""},
	{"short", "Please write to marie.dupont@exemple.fr before Friday, thanks!"},
}

func BenchmarkScanString(b *testing.B) {
	e := newEngine(b, "")
	for _, bt := range benchTexts {
		b.Run(bt.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := e.ScanString(bt.text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkScan(b *testing.B) {
	e := newEngine(b, "")
	text := []byte(benchTexts[1].text)
	for i := 0; i < b.N; i++ {
		if _, err := e.Scan(text); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRedactString(b *testing.B) {
	e := newEngine(b, "")
	for i := 0; i < b.N; i++ {
		if _, err := e.RedactString(benchTexts[1].text); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScanStringParallel(b *testing.B) {
	e := newEngine(b, "")
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := e.ScanString(benchTexts[1].text); err != nil {
				b.Fatal(err)
			}
		}
	})
}
