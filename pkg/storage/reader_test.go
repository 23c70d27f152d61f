package storage_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/storage"
)

func TestLimitReader(t *testing.T) {
	tests := []struct {
		name string
		size int
		err  error
	}{
		{"under the limit", 99, nil},
		{"exactly the limit", 100, nil},
		{"one byte over", 101, errTooLarge},
		{"far over", 10_000, errTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// OneByteReader makes the reader meet the limit in the middle of its reads.
			r := storage.LimitReader(iotest.OneByteReader(bytes.NewReader(make([]byte, tt.size))), 100)
			got, err := io.ReadAll(r)
			if !errors.Is(err, tt.err) {
				t.Fatalf("ReadAll = %v, want %v", err, tt.err)
			}
			if tt.err == nil && len(got) != tt.size {
				t.Fatalf("read %d bytes, want %d", len(got), tt.size)
			}
			if len(got) > 100 {
				t.Fatalf("read %d bytes past the limit", len(got))
			}
		})
	}
	t.Run("error says the limit", func(t *testing.T) {
		_, err := io.ReadAll(storage.LimitReader(strings.NewReader(strings.Repeat("x", 30<<20)), 25<<20))
		var e *apperr.Error
		if !errors.As(err, &e) || e.Code != apperr.TooLarge || !strings.Contains(e.Detail, "25 MiB") {
			t.Fatalf("err = %#v, want TooLarge naming 25 MiB", err)
		}
	})
}
