package gen

import (
	"fmt"
	"io"
	"time"
)

// progress writes lines such as "hours 300000/1000000 (12.3s)", the time counted from the
// start of the run. Lines about one stage come at most once a second, and always at its end.
// It measures the run rather than deciding anything, so it reads the wall clock directly.
type progress struct {
	w     io.Writer
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer) *progress {
	return &progress{w: w, start: time.Now()}
}

// report tells how far a stage is; done == total ends it.
func (p *progress) report(what string, done, total int) {
	if p.w == nil {
		return
	}
	if now := time.Now(); done == total || now.Sub(p.last) >= time.Second {
		p.last = now
		fmt.Fprintf(p.w, "%s %d/%d (%.1fs)\n", what, done, total, now.Sub(p.start).Seconds())
	}
}

// done tells that a step without a count has ended.
func (p *progress) done(what string) {
	if p.w != nil {
		fmt.Fprintf(p.w, "%s done (%.1fs)\n", what, time.Since(p.start).Seconds())
	}
}
