package jsonapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ListWriter writes a collection document one resource at a time, for answers too large to
// hold in memory (the reports):
//
//	{"data":[r1,r2,…],"meta":{…},"jsonapi":{"version":"1.1"}}
//
// The bytes are exactly those json.Marshal writes for Document{Data: Many(rs), Meta: meta}, so a
// streamed list and a marshalled one cannot differ. Meta comes after the data, which is what lets
// it carry figures (a row count, "incomplete") known only at the end.
type ListWriter struct {
	w       io.Writer
	started bool
	err     error
}

// NewListWriter returns a ListWriter writing to w. Nothing is written before Add or Close.
func NewListWriter(w io.Writer) *ListWriter { return &ListWriter{w: w} }

// Add writes one resource of the list. After an error every call returns it.
func (l *ListWriter) Add(r *Resource) error {
	if l.err != nil {
		return l.err
	}
	b, err := json.Marshal(r)
	if err != nil {
		l.err = fmt.Errorf("jsonapi: encode resource %s %s: %w", r.Type, r.ID, err)
		return l.err
	}
	sep := ","
	if !l.started {
		sep, l.started = `{"data":[`, true
	}
	if _, err := io.WriteString(l.w, sep); err != nil {
		l.err = err
		return err
	}
	if _, err := l.w.Write(b); err != nil {
		l.err = err
	}
	return l.err
}

// Close ends the document with meta (omitted when empty) and the jsonapi member. It does not
// close the underlying writer.
func (l *ListWriter) Close(meta Meta) error {
	if l.err != nil {
		return l.err
	}
	tail := []byte("]")
	if !l.started {
		tail = []byte(`{"data":[]`)
	}
	if len(meta) > 0 {
		b, err := json.Marshal(meta)
		if err != nil {
			l.err = fmt.Errorf("jsonapi: encode meta: %w", err)
			return l.err
		}
		tail = append(append(tail, `,"meta":`...), b...)
	}
	version, _ := json.Marshal(JSONAPIObject{}) // a struct of strings: cannot fail
	tail = append(append(append(tail, `,"jsonapi":`...), version...), '}')
	if _, err := l.w.Write(tail); err != nil {
		l.err = err
		return err
	}
	l.err = errClosed
	return nil
}

// errClosed makes calls after Close fail.
var errClosed = errors.New("jsonapi: list writer closed")
