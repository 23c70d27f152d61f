package sharing_test

import (
	"errors"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// rules EXT-2, EXT-3, EXT-6: sections decide what is visible (an unshared section is
// NotFound), rights decide what may be done (Forbidden where the object is visible).
func TestGrantDecide(t *testing.T) {
	none := sharing.Grant{}
	all := sharing.Grant{ShowFinancials: true, ShowPhases: true, ShowOther: true, CanApprove: true, CanComment: true,
		CanUpload: true, CanChangeStatus: true}
	type want struct{ visible, allow bool }
	for _, tc := range []struct {
		name   string
		g      sharing.Grant
		action sharing.Action
		want   want
	}{
		// EXT-3: each section on its own.
		{"status without Other", none, sharing.ViewStatus, want{false, false}},
		{"status with Other", sharing.Grant{ShowOther: true}, sharing.ViewStatus, want{true, true}},
		{"hours without Other", sharing.Grant{ShowPhases: true, ShowFinancials: true}, sharing.ViewHours, want{false, false}},
		{"hours with Other", sharing.Grant{ShowOther: true}, sharing.ViewHours, want{true, true}},
		{"phases without Phases", sharing.Grant{ShowOther: true}, sharing.ViewPhases, want{false, false}},
		{"phases with Phases", sharing.Grant{ShowPhases: true}, sharing.ViewPhases, want{true, true}},
		{"billing without Financials", sharing.Grant{ShowOther: true, ShowPhases: true}, sharing.ViewFinancials, want{false, false}},
		{"billing with Financials", sharing.Grant{ShowFinancials: true}, sharing.ViewFinancials, want{true, true}},
		{"files without Other or Upload", sharing.Grant{ShowPhases: true, CanComment: true}, sharing.ViewFiles, want{false, false}},
		{"files with Other", sharing.Grant{ShowOther: true}, sharing.ViewFiles, want{true, true}},
		// EXT-2: Upload includes viewing files; Comment includes viewing comments.
		{"files with the Upload right only", sharing.Grant{CanUpload: true}, sharing.ViewFiles, want{true, true}},
		{"comments without the right", sharing.Grant{ShowFinancials: true, ShowPhases: true, ShowOther: true, CanApprove: true, CanUpload: true, CanChangeStatus: true}, sharing.ViewComments, want{true, false}},
		{"comments with the right", sharing.Grant{CanComment: true}, sharing.ViewComments, want{true, true}},
		// EXT-2, EXT-6: rights act only where their section is visible.
		{"approve hours without the right", sharing.Grant{ShowOther: true}, sharing.ApproveHours, want{true, false}},
		{"approve hours with the right", sharing.Grant{ShowOther: true, CanApprove: true}, sharing.ApproveHours, want{true, true}},
		{"approve hours in a hidden section", sharing.Grant{CanApprove: true}, sharing.ApproveHours, want{false, false}},
		{"approve phases with the right", sharing.Grant{ShowPhases: true, CanApprove: true}, sharing.ApprovePhases, want{true, true}},
		{"approve phases in a hidden section", sharing.Grant{CanApprove: true, ShowOther: true}, sharing.ApprovePhases, want{false, false}},
		{"upload without the right", sharing.Grant{ShowOther: true}, sharing.UploadFiles, want{true, false}},
		{"upload with the right", sharing.Grant{CanUpload: true}, sharing.UploadFiles, want{true, true}},
		{"comment without the right", sharing.Grant{ShowOther: true}, sharing.AddComment, want{true, false}},
		// EXT-6: the change-status right, where the status is shown.
		{"status change without the right", sharing.Grant{ShowOther: true}, sharing.ChangeStatus, want{true, false}},
		{"status change with the right", sharing.Grant{ShowOther: true, CanChangeStatus: true}, sharing.ChangeStatus, want{true, true}},
		{"status change without Other", sharing.Grant{CanChangeStatus: true}, sharing.ChangeStatus, want{true, false}},
		// EXT-3 at the granularity of the sharing guide: a kind the firm hides within a shared
		// section is missing, like an unshared section; the rest of the section stays.
		{"status hidden within Other", sharing.Grant{ShowOther: true, HideStatus: true}, sharing.ViewStatus, want{false, false}},
		{"status change where the status is hidden", sharing.Grant{ShowOther: true, HideStatus: true, CanChangeStatus: true}, sharing.ChangeStatus, want{true, false}},
		{"hours hidden within Other", sharing.Grant{ShowOther: true, HideHours: true}, sharing.ViewHours, want{false, false}},
		{"approving hidden hours", sharing.Grant{ShowOther: true, HideHours: true, CanApprove: true}, sharing.ApproveHours, want{false, false}},
		{"files hidden within Other", sharing.Grant{ShowOther: true, HideFiles: true}, sharing.ViewFiles, want{false, false}},
		{"files hidden, with the Upload right", sharing.Grant{ShowOther: true, HideFiles: true, CanUpload: true}, sharing.ViewFiles, want{true, true}},
		{"other kinds stay when one is hidden", sharing.Grant{ShowOther: true, HideHours: true}, sharing.ViewStatus, want{true, true}},
		{"billing hidden within Financials", sharing.Grant{ShowFinancials: true, HideBilling: true}, sharing.ViewFinancials, want{false, false}},
		{"hour prices with Financials and hours", sharing.Grant{ShowFinancials: true, ShowOther: true}, sharing.ViewHourPrices, want{true, true}},
		{"hour prices hidden within Financials", sharing.Grant{ShowFinancials: true, ShowOther: true, HideHourPrices: true}, sharing.ViewHourPrices, want{false, false}},
		{"hour prices with billing hidden", sharing.Grant{ShowFinancials: true, ShowOther: true, HideBilling: true}, sharing.ViewHourPrices, want{true, true}},
		{"hour prices without Financials", sharing.Grant{ShowOther: true}, sharing.ViewHourPrices, want{false, false}},
		{"hour prices without hours", sharing.Grant{ShowFinancials: true}, sharing.ViewHourPrices, want{false, false}},
		// EXT-6: nothing else.
		{"an unknown action", all, sharing.Action(99), want{false, false}},
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
