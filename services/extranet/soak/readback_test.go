package soak

import (
	"fmt"
	"net/http"
	"testing"
)

// readBack reads every write the load got a 2xx for through the balancers: the hours (the
// approved ones approved), the comments, and the uploads with their content.
func readBack(t *testing.T, st *stack, l *load) {
	api, portal := st.lb.apiURL+"/api/v1", st.lb.portalURL+"/portal/v1"
	approved := map[string]bool{}
	for _, id := range l.approved {
		approved[id] = true
	}
	t.Logf("reading back %d hours (%d approved), %d comments, %d uploads", len(l.hours), len(approved), len(l.comments), len(l.uploads))
	parallel(t, len(l.hours), 4, func(i int) error {
		id := l.hours[i]
		r, err := send("GET", api+"/work-hours/"+id, l.fx.fay, nil)
		if err != nil || r.status != http.StatusOK {
			return fmt.Errorf("hour %q: %d %v", id, r.status, err)
		}
		if status := attr(r.one(), "approvalStatus"); approved[id] && status != "approved" {
			return fmt.Errorf("hour %s was approved (200), but is %v", id, status)
		}
		return nil
	})
	parallel(t, len(l.comments), 4, func(i int) error {
		id := l.comments[i]
		if r, err := send("GET", portal+"/comments/"+id, l.fx.ainoToken, nil); err != nil || r.status != http.StatusOK {
			return fmt.Errorf("comment %q: %d %v", id, r.status, err)
		}
		return nil
	})
	ids := make([]string, 0, len(l.uploads))
	for id := range l.uploads {
		ids = append(ids, id)
	}
	parallel(t, len(ids), 4, func(i int) error {
		id := ids[i]
		r, err := send("GET", portal+"/files/"+id+"/download", l.fx.ainoToken, nil)
		if err != nil || r.status != http.StatusOK {
			return fmt.Errorf("upload %q: %d %v", id, r.status, err)
		}
		if string(r.raw) != l.uploads[id] {
			return fmt.Errorf("upload %s: %d bytes, not what was uploaded (%d bytes)", id, len(r.raw), len(l.uploads[id]))
		}
		return nil
	})
}
