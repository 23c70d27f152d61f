// Command testreport reads `go test -json` on standard input and writes what a person needs:
// each package's result, the output of every failed test, and at the end every skipped test
// with its reason and the command that installs what it lacked. It exits 1 when anything
// failed, so `make test` fails with it.
//
//	go test -json ./... | go run ./pkg/tools/testreport
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// event is one line of `go test -json` (test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

// installHint names what installs the parts a skipped test lacked.
const installHint = "bash deploy/install-test-deps.sh (as root: MinIO, Chromium, docker-compose), and PostgreSQL for make test-postgres"

func main() {
	failed, err := report(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", err)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}

// report writes the report of the events read from r to w and says whether anything failed.
func report(r io.Reader, w io.Writer) (failed bool, err error) {
	output := map[string][]string{} // package/test → its output so far
	skipped := map[string]string{}  // package.Test → reason
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if json.Unmarshal(line, &e) != nil {
			fmt.Fprintln(w, string(line)) // not an event: build errors and the like go through
			continue
		}
		key := e.Package + "/" + e.Test
		switch e.Action {
		case "build-output":
			fmt.Fprint(w, e.Output)
		case "build-fail":
			failed = true
		case "output":
			output[key] = append(output[key], e.Output)
		case "skip":
			if e.Test != "" {
				skipped[e.Package+"."+e.Test] = skipReason(output[key])
			}
			delete(output, key)
		case "pass":
			delete(output, key)
			if e.Test == "" {
				fmt.Fprintf(w, "ok  \t%s\t%.1fs\n", e.Package, e.Elapsed)
			}
		case "fail":
			failed = true
			if e.Test != "" {
				fmt.Fprint(w, strings.Join(output[key], ""))
			} else {
				for _, l := range output[key] {
					if !strings.HasPrefix(l, "ok") && !strings.HasPrefix(l, "PASS") {
						fmt.Fprint(w, l)
					}
				}
				fmt.Fprintf(w, "FAIL\t%s\t%.1fs\n", e.Package, e.Elapsed)
			}
			delete(output, key)
		}
	}
	if err := sc.Err(); err != nil {
		return failed, err
	}
	writeSkipped(w, skipped)
	return failed, nil
}

// skipReason is the message of a skipped test: its output after the "--- SKIP" line, or the
// t.Skip line itself.
func skipReason(lines []string) string {
	var reason []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- SKIP") {
			continue
		}
		reason = append(reason, l)
	}
	if len(reason) == 0 {
		return "no reason given"
	}
	return strings.Join(reason, " ")
}

func writeSkipped(w io.Writer, skipped map[string]string) {
	if len(skipped) == 0 {
		fmt.Fprintln(w, "\nNo test was skipped.")
		return
	}
	names := make([]string, 0, len(skipped))
	for n := range skipped {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 1 {
		fmt.Fprintln(w, "\n1 test was skipped, so it did not run:")
	} else {
		fmt.Fprintf(w, "\n%d tests were skipped, so these did not run:\n", len(names))
	}
	for _, n := range names {
		fmt.Fprintf(w, "  %s: %s\n", n, skipped[n])
	}
	fmt.Fprintf(w, "To run them, install what they need: %s.\n", installHint)
}
