package jsonapi_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// A hidden column is absent from the header, a value hidden on one row is an empty cell, and
// text that a spreadsheet would run as a formula is defused.
func TestCSVWriter(t *testing.T) {
	var buf bytes.Buffer
	w := jsonapi.NewCSVWriter(&buf, append(jsonapi.AttrColumns("name", "total", "secret"), jsonapi.RelColumn("case")),
		func(name string) bool { return name == "secret" })
	rows := []*jsonapi.Resource{
		{ID: "1", Attributes: map[string]any{"name": "=cmd()", "total": int64(-5), "secret": "x"},
			Relationships: map[string]jsonapi.Relationship{"case": {Data: jsonapi.ToOne("cases", "7")}}},
		{ID: "2", Attributes: map[string]any{"name": "plain\nline", "secret": "y"}},
	}
	for _, r := range rows {
		if err := w.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.End(false); err != nil {
		t.Fatal(err)
	}
	want := "id,name,total,caseId\n1,'=cmd(),-5,7\n2,\"plain\nline\",,\n"
	if buf.String() != want {
		t.Fatalf("csv\n%q\nwant\n%q", buf.String(), want)
	}
	if err := jsonapi.NewCSVWriter(&bytes.Buffer{}, nil, func(string) bool { return false }).End(true); !errors.Is(err, jsonapi.ErrIncomplete) {
		t.Fatalf("incomplete end: %v", err)
	}
}
