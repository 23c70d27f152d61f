package gen

import (
	"bytes"
	"context"
	"database/sql/driver"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
)

// copyRows writes rows with PostgreSQL's COPY … FROM STDIN (text format). The columns are the
// model's, as bun's INSERT would write them, so a model change needs no change here.
func copyRows[T any](ctx context.Context, conn bun.Conn, rows []T) error {
	table := conn.Dialect().Tables().Get(reflect.TypeFor[T]())
	cols := make([]string, len(table.Fields))
	for i, f := range table.Fields {
		cols[i] = string(f.SQLName)
	}
	var buf bytes.Buffer
	for i := range rows {
		v := reflect.ValueOf(&rows[i]).Elem()
		for k, f := range table.Fields {
			if k > 0 {
				buf.WriteByte('\t')
			}
			if err := appendCopyValue(&buf, f.Value(v)); err != nil {
				return fmt.Errorf("column %s: %w", f.Name, err)
			}
		}
		buf.WriteByte('\n')
	}
	query := fmt.Sprintf("COPY %s (%s) FROM STDIN", table.SQLName, strings.Join(cols, ", "))
	if _, err := pgdriver.CopyFrom(ctx, conn, &buf, query); err != nil {
		return fmt.Errorf("copy into %s: %w", table.Name, err)
	}
	return nil
}

var valuerType = reflect.TypeFor[driver.Valuer]()

// appendCopyValue writes one value in COPY's text format: \N for NULL, t or f, numbers in
// decimal, instants in RFC 3339, text with backslash escapes. It knows the kinds the models
// use (integers, booleans, text, time.Time, pointers to them, driver.Valuer such as
// model.Date) and refuses others rather than guess.
func appendCopyValue(buf *bytes.Buffer, v reflect.Value) error {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			buf.WriteString(`\N`)
			return nil
		}
		v = v.Elem()
	}
	if v.Type().Implements(valuerType) {
		x, err := v.Interface().(driver.Valuer).Value()
		if err != nil {
			return err
		}
		if x == nil {
			buf.WriteString(`\N`)
			return nil
		}
		v = reflect.ValueOf(x)
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		buf.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Bool:
		if v.Bool() {
			buf.WriteByte('t')
		} else {
			buf.WriteByte('f')
		}
	case reflect.String:
		copyEscaper.WriteString(buf, v.String()) //nolint:errcheck // a bytes.Buffer does not fail
	default:
		t, ok := v.Interface().(time.Time)
		if !ok {
			return fmt.Errorf("gen: COPY of %s is not supported", v.Type())
		}
		buf.WriteString(t.UTC().Format(time.RFC3339Nano))
	}
	return nil
}

// copyEscaper escapes the characters COPY's text format gives a meaning to.
var copyEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)
