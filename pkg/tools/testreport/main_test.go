package main

import (
	"strings"
	"testing"
)

// The report passes results through, shows a failed test's output, names every skipped test
// with its reason and the install command, and says whether anything failed.
func TestReport(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"    a_test.go:9: MinIO not installed; run bash deploy/install-test-deps.sh\n"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"--- SKIP: TestA (0.00s)\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestB","Output":"    b_test.go:3: want 2, got 3\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestB"}`,
		`{"Action":"fail","Package":"p","Elapsed":0.5}`,
		`{"Action":"pass","Package":"q","Elapsed":1.25}`,
	}, "\n")
	var out strings.Builder
	failed, err := report(strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"want 2, got 3", "FAIL\tp", "ok  \tq\t1.2s", "1 test was skipped", "p.TestA: a_test.go:9: MinIO not installed", installHint} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q:\n%s", want, got)
		}
	}
	if !failed {
		t.Fatal("a failed test did not fail the report")
	}
	var clean strings.Builder
	if failed, _ := report(strings.NewReader(`{"Action":"pass","Package":"q"}`), &clean); failed || !strings.Contains(clean.String(), "No test was skipped") {
		t.Fatalf("a clean run: failed=%v\n%s", failed, clean.String())
	}
}
