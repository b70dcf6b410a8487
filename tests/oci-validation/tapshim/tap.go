// Package tap is Berth's stand-in for github.com/mndrix/tap-go, which Debian does
// not package. It implements only the part of that API the runtime-tools
// validation suite calls, writing the same TAP version 13 lines, so the suite can
// be built in GOPATH mode from Debian's source tarball and golang-*-dev packages.
package tap

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// T writes one TAP stream. Copies made by Todo share the test counter.
type T struct {
	next   *int
	TODO   bool
	Writer io.Writer
}

// New starts a stream whose first test is number 1.
func New() *T {
	n := 1
	return &T{next: &n}
}

func (t *T) out() io.Writer {
	if t.Writer == nil {
		return os.Stdout
	}
	return t.Writer
}

// Header prints the version line and, when the count is known, the plan.
func (t *T) Header(testCount int) {
	fmt.Fprint(t.out(), "TAP version 13\n")
	if testCount > 0 {
		fmt.Fprintf(t.out(), "1..%d\n", testCount)
	}
}

// Ok records one test result.
func (t *T) Ok(test bool, description string) {
	status := "ok"
	if !test {
		status = "not ok"
	}
	if t.TODO {
		fmt.Fprintf(t.out(), "%s %d # TODO %s\n", status, *t.next, description)
	} else {
		fmt.Fprintf(t.out(), "%s %d - %s\n", status, *t.next, description)
	}
	*t.next++
}

// Fail records a failed test.
func (t *T) Fail(description string) { t.Ok(false, description) }

// Pass records a passed test.
func (t *T) Pass(description string) { t.Ok(true, description) }

// Count is the number of tests recorded so far.
func (t *T) Count() int { return *t.next - 1 }

// AutoPlan prints the plan for the tests recorded so far.
func (t *T) AutoPlan() { fmt.Fprintf(t.out(), "1..%d\n", t.Count()) }

// Todo returns a copy whose results are marked TODO.
func (t *T) Todo() *T {
	c := *t
	c.TODO = true
	return &c
}

// Skip records count skipped tests.
func (t *T) Skip(count int, description string) {
	for i := 0; i < count; i++ {
		fmt.Fprintf(t.out(), "ok %d # SKIP %s\n", *t.next, description)
		*t.next++
	}
}

func comment(s string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n# ")
}

// Diagnostic prints a comment line.
func (t *T) Diagnostic(message string) { fmt.Fprintf(t.out(), "# %s\n", comment(message)) }

// Diagnosticf prints a formatted comment line.
func (t *T) Diagnosticf(format string, a ...interface{}) {
	fmt.Fprintf(t.out(), "# "+comment(format)+"\n", a...)
}

// YAML prints a YAML block (JSON is valid YAML) describing the last test.
func (t *T) YAML(message interface{}) error {
	b, err := json.MarshalIndent(message, "  ", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(t.out(), "  ---\n  %s\n  ...\n", b)
	return nil
}
