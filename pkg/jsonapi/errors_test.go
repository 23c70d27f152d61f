package jsonapi

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestConstructors(t *testing.T) {
	tests := []struct {
		name   string
		make   func(code, detail string) *Error
		status int
	}{
		{"BadRequest", BadRequest, http.StatusBadRequest},
		{"Unauthorized", Unauthorized, http.StatusUnauthorized},
		{"Forbidden", Forbidden, http.StatusForbidden},
		{"NotFound", NotFound, http.StatusNotFound},
		{"NotAcceptable", NotAcceptable, http.StatusNotAcceptable},
		{"Conflict", Conflict, http.StatusConflict},
		{"PreconditionFailed", PreconditionFailed, http.StatusPreconditionFailed},
		{"UnsupportedMediaType", UnsupportedMediaType, http.StatusUnsupportedMediaType},
		{"Unprocessable", Unprocessable, http.StatusUnprocessableEntity},
		{"TooManyRequests", TooManyRequests, http.StatusTooManyRequests},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.make("some_code", "some detail")
			checkErr(t, err, wantErr{status: tt.status, code: "some_code"})
			if got := err.Objects[0].Title; got != http.StatusText(tt.status) {
				t.Errorf("title = %q", got)
			}
		})
	}
}

func TestWithSourceDoesNotMutate(t *testing.T) {
	base := BadRequest("x", "y")
	tests := []struct {
		name string
		got  *Error
		want ErrorSource
	}{
		{"pointer", base.WithPointer("/data"), ErrorSource{Pointer: "/data"}},
		{"parameter", base.WithParameter("sort"), ErrorSource{Parameter: "sort"}},
		{"header", base.WithHeader("Accept"), ErrorSource{Header: "Accept"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.Objects[0].Source == nil || *tt.got.Objects[0].Source != tt.want {
				t.Errorf("source = %+v, want %+v", tt.got.Objects[0].Source, tt.want)
			}
		})
	}
	if base.Objects[0].Source != nil {
		t.Errorf("base error was mutated: %+v", base.Objects[0].Source)
	}
}

func TestErrorWrapsAndUnwraps(t *testing.T) {
	err := fmt.Errorf("update case 7: %w", NotFound("case_not_found", "No such case."))
	je := mustJSONAPIError(t, err)
	if je.Code() != "case_not_found" || !je.HasCode("case_not_found") || je.HasCode("other") {
		t.Errorf("codes wrong: %v", je)
	}
}

func TestJoin(t *testing.T) {
	tests := []struct {
		name   string
		errs   []*Error
		status int
		n      int
	}{
		{"same status", []*Error{BadRequest("a", ""), BadRequest("b", "")}, 400, 2},
		{"mixed client statuses", []*Error{BadRequest("a", ""), Forbidden("b", "")}, 400, 2},
		{"server error wins", []*Error{BadRequest("a", ""), Internal("r1")}, 500, 2},
		{"nils skipped", []*Error{nil, Forbidden("b", ""), nil}, 403, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Join(tt.errs...)
			if got.Status != tt.status || len(got.Objects) != tt.n {
				t.Errorf("Join = %d with %d objects, want %d with %d", got.Status, len(got.Objects), tt.status, tt.n)
			}
		})
	}
	t.Run("all nil", func(t *testing.T) {
		if Join(nil, nil) != nil {
			t.Error("Join of nils should be nil")
		}
	})
}

func TestInternalHidesDetails(t *testing.T) {
	err := Internal("req-42").WithMeta(Meta{"retry": false})
	o := err.Objects[0]
	if o.ID != "req-42" || o.Code != CodeInternal || o.Meta["retry"] != false {
		t.Errorf("internal error = %+v", o)
	}
	var target *Error
	if !errors.As(error(err), &target) || target.Status != 500 {
		t.Errorf("errors.As failed")
	}
}
