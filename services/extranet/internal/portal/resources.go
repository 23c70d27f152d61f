package portal

import (
	"strconv"
	"time"

	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/sharing"
	"github.com/caseroom/caseroom/pkg/work"
)

// apiBase is the JSON:API's path prefix.
const apiBase = "/portal/v1"

// These converters are the edge between the domain views and the JSON:API documents. They
// write only what the grant shows (EXT-3): an attribute of an unshared section is absent,
// never null.

func id64(id int64) string { return strconv.FormatInt(id, 10) }

func nullableDate(d model.Date) any {
	if d == "" {
		return nil
	}
	return string(d)
}

func nullableTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func related(typ, id, name string) jsonapi.Relationship {
	return jsonapi.Relationship{Links: &jsonapi.Links{Related: jsonapi.ResourceLink(apiBase, typ, id) + "/" + name}}
}

func toOne(typ string, id int64) jsonapi.Relationship {
	return jsonapi.Relationship{Data: jsonapi.ToOne(typ, id64(id))}
}

func caseResource(v cases.SharedCase) *jsonapi.Resource {
	c, g := v.Case, v.Grant
	id := id64(c.ID)
	r := &jsonapi.Resource{Type: "cases", ID: id,
		Attributes: map[string]any{
			"name": c.Name, "accountName": v.AccountName, "startsOn": nullableDate(c.StartsOn), "endsOn": nullableDate(c.EndsOn),
			"version":  c.Version,
			"sections": map[string]bool{"financials": g.ShowFinancials, "phases": g.ShowPhases, "other": g.ShowOther},
			"rights": map[string]bool{"approve": g.CanApprove, "comment": g.CanComment, "upload": g.CanUpload,
				"changeStatus": g.Can(sharing.ChangeStatus)},
		},
		Relationships: map[string]jsonapi.Relationship{},
		Links:         &jsonapi.Links{Self: jsonapi.ResourceLink(apiBase, "cases", id)},
	}
	if g.Can(sharing.ViewStatus) {
		r.Attributes["status"] = c.Status
	}
	if g.Can(sharing.ViewFinancials) {
		r.Attributes["billingForecast"] = c.BillingForecast
		r.Attributes["invoicedTotal"] = v.InvoicedTotal
		r.Attributes["currency"] = v.Currency
		r.Relationships["invoices"] = related("cases", id, "invoices")
	}
	if g.Can(sharing.ViewHourPrices) {
		r.Attributes["currency"] = v.Currency
	}
	if g.Can(sharing.ViewHours) {
		r.Relationships["workHours"] = related("cases", id, "work-hours")
	}
	if g.Can(sharing.ViewPhases) {
		r.Relationships["phases"] = related("cases", id, "phases")
	}
	if g.Can(sharing.ViewFiles) {
		r.Relationships["files"] = related("cases", id, "files")
	}
	if g.Can(sharing.ViewComments) {
		r.Relationships["comments"] = related("cases", id, "comments")
	}
	return r
}

func hourResource(v *work.Hour) *jsonapi.Resource {
	h := v.WorkHour
	r := &jsonapi.Resource{Type: "work-hours", ID: id64(h.ID),
		Attributes: map[string]any{
			"workDate": string(h.WorkDate), "minutes": h.Minutes, "description": h.Description, "person": v.Person,
			"approvalStatus": h.ApprovalStatus, "approvedAt": nullableTime(h.ApprovedAt),
			"rejectComment": h.RejectComment, "version": h.Version,
		},
		Relationships: map[string]jsonapi.Relationship{"case": toOne("cases", h.CaseID)},
		Links:         &jsonapi.Links{Self: jsonapi.ResourceLink(apiBase, "work-hours", id64(h.ID))},
	}
	if v.Grant.Can(sharing.ViewHourPrices) {
		r.Attributes["billable"] = h.Billable // which hours are billed is billing information
		r.Attributes["unitPrice"] = h.UnitPrice
		r.Attributes["price"] = h.Price()
	}
	if v.Grant.Can(sharing.ViewPhases) {
		if h.PhaseID != nil {
			r.Relationships["phase"] = toOne("phases", *h.PhaseID)
		} else {
			r.Relationships["phase"] = jsonapi.Relationship{Data: jsonapi.ToOneNull()}
		}
	}
	return r
}

func phaseResource(p *cases.Phase) *jsonapi.Resource {
	return &jsonapi.Resource{Type: "phases", ID: id64(p.ID),
		Attributes: map[string]any{
			"name": p.Name, "status": p.Status, "startsOn": nullableDate(p.StartsOn), "endsOn": nullableDate(p.EndsOn),
			"approvalStatus": p.ApprovalStatus, "approvalComment": p.ApprovalComment, "approvedAt": nullableTime(p.ApprovedAt),
			"version": p.Version,
		},
		Relationships: map[string]jsonapi.Relationship{"case": toOne("cases", p.CaseID)},
		Links:         &jsonapi.Links{Self: jsonapi.ResourceLink(apiBase, "phases", id64(p.ID))},
	}
}

// targetTypes maps a comment's target to the JSON:API type of the target.
var targetTypes = map[string]string{cases.TargetCase: "cases", cases.TargetPhase: "phases", cases.TargetFile: "files"}

func commentResource(cm *cases.Comment) *jsonapi.Resource {
	kind := "staff"
	if cm.ByContact() {
		kind = "contact"
	}
	return &jsonapi.Resource{Type: "comments", ID: id64(cm.ID),
		Attributes: map[string]any{
			"body": cm.Body, "targetType": cm.TargetType, "authorName": cm.AuthorName, "authorKind": kind, "mine": cm.Mine,
			"createdAt": cm.CreatedAt.UTC().Format(time.RFC3339),
		},
		Relationships: map[string]jsonapi.Relationship{
			"case":   toOne("cases", cm.CaseID),
			"target": toOne(targetTypes[cm.TargetType], cm.TargetID),
		},
		Links: &jsonapi.Links{Self: jsonapi.ResourceLink(apiBase, "comments", id64(cm.ID))},
	}
}

func fileResource(f *cases.File) *jsonapi.Resource {
	id := id64(f.ID)
	r := &jsonapi.Resource{Type: "files", ID: id,
		Attributes: map[string]any{
			"name": f.Name, "kind": f.Kind, "contentType": f.ContentType, "size": f.SizeBytes,
			"uploaderName": f.UploaderName, "mine": f.Mine, "createdAt": f.CreatedAt.UTC().Format(time.RFC3339),
		},
		Relationships: map[string]jsonapi.Relationship{"case": toOne("cases", f.CaseID)},
		Links:         &jsonapi.Links{Self: jsonapi.ResourceLink(apiBase, "files", id)},
	}
	if f.Kind == cases.KindLink {
		r.Attributes["url"] = f.URL
	} else {
		r.Meta = jsonapi.Meta{"download": jsonapi.ResourceLink(apiBase, "files", id) + "/download"}
	}
	if f.Grant.Can(sharing.ViewPhases) && f.PhaseID != nil {
		r.Relationships["phase"] = toOne("phases", *f.PhaseID)
	}
	return r
}

func invoiceResource(v billing.Invoice) *jsonapi.Resource {
	return &jsonapi.Resource{Type: "invoices", ID: id64(v.ID),
		Attributes: map[string]any{
			"number": v.Number, "status": v.StatusName, "issueDate": nullableDate(v.IssueDate), "dueDate": nullableDate(v.DueDate),
			"total": v.Total, "currency": v.Currency,
		},
		Relationships: map[string]jsonapi.Relationship{"case": toOne("cases", v.CaseID)},
	}
}
