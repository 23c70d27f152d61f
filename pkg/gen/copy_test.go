package gen

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/model"
)

func TestAppendCopyValue(t *testing.T) {
	id := int64(42)
	var none *int64
	at := time.Date(2026, 11, 24, 9, 30, 0, 0, time.FixedZone("+02:00", 7200))
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"integer", int64(-7), "-7"},
		{"true", true, "t"},
		{"false", false, "f"},
		{"text with COPY's special characters", "a\tb\nc\\d\re", `a\tb\nc\\d\re`},
		{"pointer", &id, "42"},
		{"nil pointer", none, `\N`},
		{"date", model.Date("2026-11-24"), "2026-11-24"},
		{"no date", model.Date(""), `\N`},
		{"instant, in UTC", at, "2026-11-24T07:30:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := appendCopyValue(&buf, reflect.ValueOf(tc.v)); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tc.want {
				t.Errorf("got %q, want %q", buf.String(), tc.want)
			}
		})
	}
	t.Run("unknown kinds are refused", func(t *testing.T) {
		if err := appendCopyValue(&bytes.Buffer{}, reflect.ValueOf(1.5)); err == nil {
			t.Error("a float was written")
		}
	})
}
