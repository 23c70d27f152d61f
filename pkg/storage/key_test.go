package storage_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/storage"
)

func TestNewKey(t *testing.T) {
	shape := regexp.MustCompile(`^cases/42/[0-9a-f]{32}$`)
	seen := map[string]bool{}
	for range 1000 {
		key := storage.NewKey(42)
		if !shape.MatchString(key) {
			t.Fatalf("NewKey = %q, want cases/42/<32 hex digits>", key)
		}
		if err := storage.CheckKey(key); err != nil {
			t.Fatalf("CheckKey(NewKey) = %v", err)
		}
		if seen[key] {
			t.Fatalf("NewKey repeated %q", key)
		}
		seen[key] = true
	}
}

// The user's file name never reaches the key: uploads of the same names get keys that
// contain no part of them, whatever the name tries.
func TestNewKeyIgnoresTheFileName(t *testing.T) {
	names := []string{"Bericht-2026.pdf", "../../etc/passwd", "invoice final.png", "évaluation.docx", "3263b0f8.txt"}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			key := storage.NewKey(9)
			for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '.' || r == ' ' || r == '-' }) {
				if len(part) > 2 && strings.Contains(key, part) {
					t.Fatalf("key %q contains %q of the file name %q", key, part, name)
				}
			}
		})
	}
}

func TestCheckKey(t *testing.T) {
	for _, key := range []string{"cases/1/abc", "a", "exports/2026-03/report_1.csv"} {
		if err := storage.CheckKey(key); err != nil {
			t.Errorf("CheckKey(%q) = %v, want nil", key, err)
		}
	}
	for _, key := range badKeys {
		if err := storage.CheckKey(key); !errors.Is(err, errInvalid) {
			t.Errorf("CheckKey(%q) = %v, want apperr.Invalid", key, err)
		}
	}
}
