package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
)

// doc is a decoded JSON:API document.
type doc map[string]any

// jsonAPI sends one JSON:API request and decodes the answer.
func jsonAPI(t *testing.T, method, url, token string, body any) (int, doc) {
	t.Helper()
	status, d, err := sendJSONAPI(method, url, token, body)
	if err != nil {
		t.Fatal(err)
	}
	return status, d
}

// sendJSONAPI is jsonAPI for goroutines other than the test's: it returns what went wrong
// instead of ending the test.
func sendJSONAPI(method, url, token string, body any) (int, doc, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Accept", "application/vnd.api+json")
	if body != nil {
		req.Header.Set("Content-Type", "application/vnd.api+json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var d doc
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &d); err != nil {
			return 0, nil, fmt.Errorf("%s %s: %d, not JSON: %s", method, url, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode, d, nil
}

// must fails unless the status is want and returns the document.
func must(t *testing.T, want int) func(int, doc) doc {
	return func(got int, d doc) doc {
		t.Helper()
		if got != want {
			b, _ := json.Marshal(d)
			t.Fatalf("status %d, want %d: %s", got, want, b)
		}
		return d
	}
}

// list returns the resources of a collection document.
func (d doc) list() []map[string]any {
	items, _ := d["data"].([]any)
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i] = it.(map[string]any)
	}
	return out
}

// one returns the primary resource of a single-resource document.
func (d doc) one() map[string]any {
	m, _ := d["data"].(map[string]any)
	return m
}

func attr(res map[string]any, name string) any {
	a, _ := res["attributes"].(map[string]any)
	return a[name]
}

// relID returns the id of a to-one relationship ("" for none).
func relID(res map[string]any, name string) string {
	rels, _ := res["relationships"].(map[string]any)
	rel, _ := rels[name].(map[string]any)
	data, _ := rel["data"].(map[string]any)
	id, _ := data["id"].(string)
	return id
}

// findBy returns the first resource whose attribute name equals value.
func findBy(t *testing.T, items []map[string]any, name string, value any) map[string]any {
	t.Helper()
	for _, it := range items {
		if attr(it, name) == value {
			return it
		}
	}
	t.Fatalf("no resource with %s = %v", name, value)
	return nil
}
