package jsonapi

import (
	"net/http"
	"testing"
)

// TestNULIsAClientError: text holding U+0000, or query text that is not UTF-8, is a 400
// before it can reach a database that would refuse it with a server error.
func TestNULIsAClientError(t *testing.T) {
	_, err := ParseResource([]byte(`{"data":{"type":"comments","attributes":{"body":"a\u0000b"}}}`), "comments", "")
	if e, ok := err.(*Error); !ok || e.Status != http.StatusBadRequest {
		t.Fatalf("NUL in a body: %v", err)
	}
	if _, err := ParseResource([]byte(`{"data":{"type":"comments","attributes":{"body":"a\\u0000b"}}}`), "comments", ""); err != nil {
		t.Fatalf("an escaped backslash followed by u0000 is ordinary text: %v", err)
	}
	for _, raw := range []string{"filter[status]=%00", "filter[status]=%ff", "sort=a%00"} {
		_, err := ParseQuery(raw, QuerySpec{Filters: []string{"status"}, Sort: []string{"a"}})
		if e, ok := err.(*Error); !ok || e.Status != http.StatusBadRequest {
			t.Errorf("%s: %v", raw, err)
		}
	}
}
