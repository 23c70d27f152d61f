package jsonapi

import (
	"encoding/json"
	"errors"
	"strconv"
	"testing"
)

// wantErr describes an expected *Error; the zero value expects success.
type wantErr struct {
	status    int
	code      string
	pointer   string
	parameter string
	header    string
}

// checkErr asserts that err matches want.
func checkErr(t *testing.T, err error, want wantErr) {
	t.Helper()
	if want.status == 0 {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	je := mustJSONAPIError(t, err)
	if je.Status != want.status {
		t.Errorf("status = %d, want %d (%v)", je.Status, want.status, je)
	}
	o := je.Objects[0]
	if o.Code != want.code {
		t.Errorf("code = %q, want %q (%v)", o.Code, want.code, je)
	}
	if len(je.Objects) == 1 && o.Status != strconv.Itoa(want.status) {
		t.Errorf("object status = %q, want %d", o.Status, want.status)
	}
	var src ErrorSource
	if o.Source != nil {
		src = *o.Source
	}
	if want.pointer != "" && src.Pointer != want.pointer {
		t.Errorf("pointer = %q, want %q", src.Pointer, want.pointer)
	}
	if want.parameter != "" && src.Parameter != want.parameter {
		t.Errorf("parameter = %q, want %q", src.Parameter, want.parameter)
	}
	if want.header != "" && src.Header != want.header {
		t.Errorf("header = %q, want %q", src.Header, want.header)
	}
}

// mustJSONAPIError unwraps err into an *Error.
func mustJSONAPIError(t *testing.T, err error) *Error {
	t.Helper()
	var je *Error
	if !errors.As(err, &je) {
		t.Fatalf("error %v (%T) is not a *jsonapi.Error", err, err)
	}
	if len(je.Objects) == 0 {
		t.Fatalf("*Error without objects")
	}
	return je
}

// mustMarshal encodes v or fails the test.
func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

// mustDecode decodes JSON into a generic map or fails the test.
func mustDecode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return m
}
