package jsonapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// TestListWriterMatchesMarshal: a streamed list is byte for byte the marshalled document.
func TestListWriterMatchesMarshal(t *testing.T) {
	row := func(id string) *Resource {
		return &Resource{Type: "case-report-rows", ID: id,
			Attributes:    map[string]any{"name": "<Acme & Co>", "minutes": 90, "at": time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), "none": nil},
			Relationships: map[string]Relationship{"owner": {Data: ToOne("users", "7")}, "unit": {Data: ToOneNull()}}}
	}
	tests := []struct {
		name string
		rows []*Resource
		meta Meta
	}{
		{"empty", nil, Meta{"rows": 0}},
		{"empty without meta", nil, nil},
		{"one", []*Resource{row("1")}, Meta{"rows": 1}},
		{"many", []*Resource{row("1"), row("2"), row("3")}, Meta{"rows": 3, "incomplete": true}},
		{"many without meta", []*Resource{row("1"), row("2")}, Meta{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got bytes.Buffer
			w := NewListWriter(&got)
			for _, r := range tt.rows {
				if err := w.Add(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(tt.meta); err != nil {
				t.Fatal(err)
			}
			want, err := json.Marshal(Document{Data: Many(tt.rows), Meta: tt.meta})
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want) {
				t.Fatalf("streamed\n%s\nmarshalled\n%s", got.String(), want)
			}
			if err := w.Add(row("9")); err == nil {
				t.Error("Add after Close succeeded")
			}
		})
	}
}

// failingWriter fails every write after the first n bytes.
type failingWriter struct{ n int }

var errWrite = errors.New("client went away")

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		return 0, errWrite
	}
	f.n -= len(p)
	return len(p), nil
}

// TestListWriterStopsAtWriteError: once the client is gone every call says so.
func TestListWriterStopsAtWriteError(t *testing.T) {
	w := NewListWriter(&failingWriter{n: 12})
	r := &Resource{Type: "x", ID: "1"}
	if err := w.Add(r); !errors.Is(err, errWrite) {
		t.Fatalf("Add = %v", err)
	}
	if err := w.Add(r); !errors.Is(err, errWrite) {
		t.Fatalf("second Add = %v", err)
	}
	if err := w.Close(nil); !errors.Is(err, errWrite) {
		t.Fatalf("Close = %v", err)
	}
}
