package soak

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"testing"
	"time"
)

// httpClient is the harness's own client for everything but the load (which is vegeta's).
var httpClient = &http.Client{Timeout: time.Minute}

// doc is a decoded JSON:API document.
type doc map[string]any

// reply is one answer of a service.
type reply struct {
	status int
	header http.Header
	raw    []byte
	doc    doc // nil unless the body is JSON
}

// send makes one JSON:API request; body, when not nil, is marshalled as the document.
func send(method, url, token string, body any) (reply, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return reply{}, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return reply{}, err
	}
	req.Header.Set("Accept", "application/vnd.api+json")
	if body != nil {
		req.Header.Set("Content-Type", "application/vnd.api+json")
	}
	return sendRequest(req, token)
}

func sendRequest(req *http.Request, token string) (reply, error) {
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	r := reply{status: resp.StatusCode, header: resp.Header}
	if r.raw, err = io.ReadAll(resp.Body); err != nil {
		return r, fmt.Errorf("%s %s: read the answer: %w", req.Method, req.URL, err)
	}
	_ = json.Unmarshal(r.raw, &r.doc) // not every answer is JSON (downloads, HAProxy's pages)
	return r, nil
}

// upload sends content as the multipart part "file" of a portal or API upload.
func upload(url, token, name string, content []byte) (reply, error) {
	body, ctype := multipartFile(name, content)
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		return reply{}, err
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Accept", "application/vnd.api+json")
	return sendRequest(req, token)
}

// multipartFile is a multipart/form-data body with one text file in the part "file".
func multipartFile(name string, content []byte) (body []byte, contentType string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
	h.Set("Content-Type", "text/plain")
	part, _ := w.CreatePart(h)
	part.Write(content) //nolint:errcheck // a bytes.Buffer does not fail
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

// call is send for the test's own goroutine: a transport error fails the test.
func call(t *testing.T, method, url, token string, body any) reply {
	t.Helper()
	r, err := send(method, url, token, body)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// must fails the test unless the answer has status want.
func (r reply) must(t *testing.T, want int) reply {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %s", r.status, want, tail(string(r.raw), 600))
	}
	return r
}

// one is the primary resource of a single-resource document.
func (r reply) one() map[string]any {
	m, _ := r.doc["data"].(map[string]any)
	return m
}

// list is the resources of a collection document.
func (r reply) list() []map[string]any {
	items, _ := r.doc["data"].([]any)
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// id is the id of the primary resource.
func (r reply) id() string {
	id, _ := r.one()["id"].(string)
	return id
}

// isJSONAPIError reports whether the answer is a JSON:API error document whose first
// error carries the answer's status.
func (r reply) isJSONAPIError() bool {
	errs, _ := r.doc["errors"].([]any)
	if len(errs) == 0 {
		return false
	}
	first, _ := errs[0].(map[string]any)
	return first["status"] == fmt.Sprint(r.status)
}

func attr(res map[string]any, name string) any {
	a, _ := res["attributes"].(map[string]any)
	return a[name]
}

// findBy returns the first resource whose attribute name equals value.
func findBy(t *testing.T, items []map[string]any, name string, value any) map[string]any {
	t.Helper()
	for _, it := range items {
		if attr(it, name) == value {
			return it
		}
	}
	t.Fatalf("no resource with %s = %v among %d", name, value, len(items))
	return nil
}

// resource is a JSON:API write document.
func resource(typ, id string, attrs map[string]any, rels map[string]any) map[string]any {
	data := map[string]any{"type": typ, "attributes": attrs}
	if id != "" {
		data["id"] = id
	}
	if rels != nil {
		data["relationships"] = rels
	}
	return map[string]any{"data": data}
}

// rel is a to-one relationship for a write document.
func rel(typ, id string) map[string]any {
	return map[string]any{"data": map[string]any{"type": typ, "id": id}}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
