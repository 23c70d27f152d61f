package storage_test

import (
	"testing"

	"github.com/caseroom/caseroom/pkg/storage"
)

func TestCleanFileName(t *testing.T) {
	for in, want := range map[string]string{
		"report.pdf":                "report.pdf",
		"../../etc/passwd":          "passwd",
		`C:\Users\aino\plan.docx`:   "plan.docx",
		"  spaced.txt  ":            "spaced.txt",
		"bad\x00\x07name\u202e.txt": "badname.txt",
		"..":                        "",
		"dir/":                      "",
	} {
		if got := storage.CleanFileName(in); got != want {
			t.Errorf("CleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
}
