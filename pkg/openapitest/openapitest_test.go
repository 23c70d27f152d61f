package openapitest

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

const spec = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          content:
            application/vnd.api+json:
              schema:
                type: object
                required: [data]
                properties:
                  data: {type: array}
                additionalProperties: false
`

func TestValidatorCatchesWhatTheDocumentDoesNotSay(t *testing.T) {
	v := New(t, []byte(spec))
	h := http.Header{"Content-Type": {"application/vnd.api+json"}}
	req := httptest.NewRequest("GET", "/things", nil)
	cases := []struct {
		name   string
		path   string
		status int
		body   string
		ok     bool
	}{
		{"documented", "/things", 200, `{"data":[]}`, true},
		{"undocumented field", "/things", 200, `{"data":[],"secret":1}`, false},
		{"undocumented status", "/things", 500, `{"data":[]}`, false},
		{"undocumented route", "/other", 200, `{"data":[]}`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := req
			if tc.path != "/things" {
				r = httptest.NewRequest("GET", tc.path, nil)
			}
			err := v.Validate(r, nil, tc.status, h, []byte(tc.body), true)
			if (err == nil) != tc.ok {
				t.Fatalf("Validate = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

const bodySpec = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /things:
    post:
      requestBody:
        content:
          application/vnd.api+json:
            schema:
              type: object
              properties:
                amount: {type: integer, minimum: 0, maximum: 100}
      responses:
        "204": {description: ok}
`

func TestValidateRequestSeesDocumentedRanges(t *testing.T) {
	v := New(t, []byte(bodySpec))
	for _, tc := range []struct {
		body string
		ok   bool
	}{
		{`{"amount":100}`, true},
		{`{"amount":101}`, false},
		{`{"amount":-1}`, false},
		{`{"amount":1.5}`, false},
	} {
		req := httptest.NewRequest("POST", "/things", nil)
		req.Header.Set("Content-Type", "application/vnd.api+json")
		if err := v.ValidateRequest(req, []byte(tc.body)); (err == nil) != tc.ok {
			t.Errorf("%s: ValidateRequest = %v, want ok=%v", tc.body, err, tc.ok)
		}
	}
}
