package server

import (
	"strconv"

	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

func statusResource(st *billing.Status) *jsonapi.Resource {
	id := strconv.FormatInt(st.ID, 10)
	return &jsonapi.Resource{Type: "invoice-statuses", ID: id,
		Attributes: map[string]any{"name": st.Name, "position": st.Position, "active": st.Active, "version": st.Version},
		Links:      selfLink("invoice-statuses", id)}
}

type statusBody struct {
	Name    *string `jsonapi:"name"`
	Active  *bool   `jsonapi:"active"`
	Version *int64  `jsonapi:"version"`
}

func (b *statusBody) input() (billing.StatusInput, error) {
	return billing.StatusInput{Name: b.Name, Active: b.Active}, nil
}

func (b *statusBody) edited() *int64 { return b.Version }

// statusKind is the invoice-statuses type (pkg/billing).
func (s *Server) statusKind() kind {
	return kind{
		name:   "invoice-statuses",
		list:   lister(s, s.billing.StatusList, statusResource),
		create: creator[statusBody]("invoice-statuses", []string{"position", "version"}, s.billing.CreateStatus, statusResource),
		update: updater[statusBody]("invoice-statuses", "invoice status", []string{"position"}, s.billing.UpdateStatus, statusResource),
		batch:  batchOf(s.billing.StatusesByID, statusResource),
	}
}
