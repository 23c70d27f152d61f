package extranet_test

import (
	"errors"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// rules EXT-2, EXT-3, EXT-6: sections decide what is visible (an unshared section is
// NotFound), rights decide what may be done (Forbidden where the object is visible).
func TestGrantDecide(t *testing.T) {
	none := extranet.Grant{}
	all := extranet.Grant{ShowFinancials: true, ShowPhases: true, ShowOther: true, CanApprove: true, CanComment: true,
		CanUpload: true, CanChangeStatus: true}
	type want struct{ visible, allow bool }
	for _, tc := range []struct {
		name   string
		g      extranet.Grant
		action extranet.Action
		want   want
	}{
		// EXT-3: each section on its own.
		{"status without Other", none, extranet.ViewStatus, want{false, false}},
		{"status with Other", extranet.Grant{ShowOther: true}, extranet.ViewStatus, want{true, true}},
		{"hours without Other", extranet.Grant{ShowPhases: true, ShowFinancials: true}, extranet.ViewHours, want{false, false}},
		{"hours with Other", extranet.Grant{ShowOther: true}, extranet.ViewHours, want{true, true}},
		{"phases without Phases", extranet.Grant{ShowOther: true}, extranet.ViewPhases, want{false, false}},
		{"phases with Phases", extranet.Grant{ShowPhases: true}, extranet.ViewPhases, want{true, true}},
		{"billing without Financials", extranet.Grant{ShowOther: true, ShowPhases: true}, extranet.ViewFinancials, want{false, false}},
		{"billing with Financials", extranet.Grant{ShowFinancials: true}, extranet.ViewFinancials, want{true, true}},
		{"files without Other or Upload", extranet.Grant{ShowPhases: true, CanComment: true}, extranet.ViewFiles, want{false, false}},
		{"files with Other", extranet.Grant{ShowOther: true}, extranet.ViewFiles, want{true, true}},
		// EXT-2: Upload includes viewing files; Comment includes viewing comments.
		{"files with the Upload right only", extranet.Grant{CanUpload: true}, extranet.ViewFiles, want{true, true}},
		{"comments without the right", extranet.Grant{ShowFinancials: true, ShowPhases: true, ShowOther: true, CanApprove: true, CanUpload: true, CanChangeStatus: true}, extranet.ViewComments, want{true, false}},
		{"comments with the right", extranet.Grant{CanComment: true}, extranet.ViewComments, want{true, true}},
		// EXT-2, EXT-6: rights act only where their section is visible.
		{"approve hours without the right", extranet.Grant{ShowOther: true}, extranet.ApproveHours, want{true, false}},
		{"approve hours with the right", extranet.Grant{ShowOther: true, CanApprove: true}, extranet.ApproveHours, want{true, true}},
		{"approve hours in a hidden section", extranet.Grant{CanApprove: true}, extranet.ApproveHours, want{false, false}},
		{"approve phases with the right", extranet.Grant{ShowPhases: true, CanApprove: true}, extranet.ApprovePhases, want{true, true}},
		{"approve phases in a hidden section", extranet.Grant{CanApprove: true, ShowOther: true}, extranet.ApprovePhases, want{false, false}},
		{"upload without the right", extranet.Grant{ShowOther: true}, extranet.UploadFiles, want{true, false}},
		{"upload with the right", extranet.Grant{CanUpload: true}, extranet.UploadFiles, want{true, true}},
		{"comment without the right", extranet.Grant{ShowOther: true}, extranet.AddComment, want{true, false}},
		// EXT-6: the change-status right, where the status is shown.
		{"status change without the right", extranet.Grant{ShowOther: true}, extranet.ChangeStatus, want{true, false}},
		{"status change with the right", extranet.Grant{ShowOther: true, CanChangeStatus: true}, extranet.ChangeStatus, want{true, true}},
		{"status change without Other", extranet.Grant{CanChangeStatus: true}, extranet.ChangeStatus, want{true, false}},
		// EXT-6: nothing else.
		{"an unknown action", all, extranet.Action(99), want{false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.g.Decide(tc.action)
			if d.Visible != tc.want.visible || d.Allow != tc.want.allow || d.Rules == "" {
				t.Fatalf("Decide = %+v, want %+v", d, tc.want)
			}
			err := tc.g.Check(tc.action, "missing")
			switch {
			case !tc.want.visible && !errors.Is(err, apperr.ErrNotFound):
				t.Fatalf("Check = %v, want NotFound", err)
			case tc.want.visible && !tc.want.allow && !errors.Is(err, apperr.ErrForbidden):
				t.Fatalf("Check = %v, want Forbidden", err)
			case tc.want.allow && err != nil:
				t.Fatalf("Check = %v, want nil", err)
			}
		})
	}
}
