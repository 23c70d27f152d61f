package storage

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// LimitReader returns a reader of r that fails with apperr.TooLarge as soon as r turns
// out to hold more than max bytes. Unlike io.LimitReader it does not cut the body short
// silently, so an oversized upload is refused rather than stored truncated.
func LimitReader(r io.Reader, max int64) io.Reader {
	return &limitReader{r: r, left: max, max: max}
}

type limitReader struct {
	r         io.Reader
	left, max int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if l.left <= 0 {
		// The limit is used up: one more byte decides between EOF and too large.
		var probe [1]byte
		n, err := l.r.Read(probe[:])
		if n > 0 {
			return 0, &apperr.Error{Code: apperr.TooLarge, Detail: fmtLimit(l.max)}
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// sizedReader reads exactly want bytes of r (all of r when want < 0) and remembers the
// first error r returned, so that Put can report the body's error rather than the
// store's rendering of it.
type sizedReader struct {
	r       io.Reader
	want, n int64
	err     error
}

func (s *sizedReader) Read(p []byte) (int, error) {
	if s.want >= 0 {
		if s.n >= s.want {
			return 0, io.EOF
		}
		if int64(len(p)) > s.want-s.n {
			p = p[:s.want-s.n]
		}
	}
	n, err := s.r.Read(p)
	s.n += int64(n)
	if errors.Is(err, io.EOF) && s.want >= 0 && s.n < s.want {
		err = apperr.E(apperr.Invalid, "the file is shorter than its declared size")
	}
	if err != nil && !errors.Is(err, io.EOF) && s.err == nil {
		s.err = err
	}
	return n, err
}

func fmtLimit(max int64) string {
	return "the file is larger than " + humanBytes(max)
}

// humanBytes writes a limit the way a user would read it ("25 MiB").
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " bytes"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return s + " " + []string{"KiB", "MiB", "GiB", "TiB", "PiB"}[exp]
}
