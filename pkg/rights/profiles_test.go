package rights

import (
	"errors"
	"reflect"
	"testing"
)

// defaultStatuses are ids of Draft, Sent, Paid as a fresh database would hold them.
var defaultStatuses = StatusOrder{11, 12, 13}

func TestDefaultProfiles(t *testing.T) {
	profiles := DefaultProfiles()
	t.Run("PRF-1 stable keys", func(t *testing.T) {
		var keys []string
		for _, p := range profiles {
			keys = append(keys, p.Key)
		}
		want := []string{ProfileAdministrator, ProfileBusinessController, ProfileProjectManager, ProfileEmployee}
		if !reflect.DeepEqual(keys, want) {
			t.Fatalf("keys %v, want %v", keys, want)
		}
	})
	t.Run("PRF-1 Administrator holds every right at its top level", func(t *testing.T) {
		r := profiles[0].Rights
		if r.Accounts != AccountsAll || r.Cases != CasesAll || r.Join != JoinAny || r.Users != UsersAll ||
			!r.Invoice.Any || r.Approval != ApprovalAll || r.Travel != TravelApproveAll || r.Admin != AdminAll {
			t.Fatalf("administrator levels: %+v", r)
		}
		v := reflect.ValueOf(r)
		for i := range v.NumField() {
			if f := v.Field(i); f.Kind() == reflect.Bool && !f.Bool() {
				t.Errorf("flag %s is off", v.Type().Field(i).Name)
			}
		}
		for _, p := range profiles {
			if !r.Covers(p.Rights) {
				t.Errorf("administrator does not cover %s", p.Key)
			}
		}
	})
	for _, p := range profiles {
		t.Run("PRF-1 "+p.Key+" survives the database round trip", func(t *testing.T) {
			values, err := p.Rights.Values(defaultStatuses)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseProfile(values, defaultStatuses)
			if err != nil || back != p.Rights {
				t.Fatalf("round trip: %+v, %v", back, err)
			}
		})
	}
	t.Run("PRF-1 project manager sends but does not mark paid (INV-3)", func(t *testing.T) {
		s := subjectOf(2, profiles[2].Rights)
		inv := InvoiceAttrs{Case: caseOwn, StatusPos: posDraft}
		if !DecideInvoiceStatus(s, inv, posSent).Allow || DecideInvoiceStatus(s, inv, posPaid).Allow {
			t.Fatal("project manager should move Draft to Sent and never to Paid")
		}
	})
}

func TestCheckProfileRights(t *testing.T) {
	t.Run("PRF-1 the Administrator profile cannot be cut", func(t *testing.T) {
		cut := with(AdministratorRights(), func(r *Rights) { r.Sharing = false })
		if err := CheckProfileRights(ProfileAdministrator, cut); !errors.Is(err, ErrAdministratorProfileCut) {
			t.Fatalf("got %v", err)
		}
		if err := CheckProfileRights(ProfileAdministrator, AdministratorRights()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("PRF-2 other profiles take any rights", func(t *testing.T) {
		if err := CheckProfileRights(ProfileEmployee, Rights{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCheckProfileDelete(t *testing.T) {
	t.Run("PRF-2 a profile in use cannot be deleted", func(t *testing.T) {
		if err := CheckProfileDelete(3); !errors.Is(err, ErrProfileInUse) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("PRF-2 an unused profile can", func(t *testing.T) {
		if err := CheckProfileDelete(0); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCheckAdministratorsRemain(t *testing.T) {
	t.Run("PRF-4 the last administrator stays", func(t *testing.T) {
		if err := CheckAdministratorsRemain(0); !errors.Is(err, ErrLastAdministrator) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("PRF-4 one administrator left is enough", func(t *testing.T) {
		if err := CheckAdministratorsRemain(1); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDecideProfile(t *testing.T) {
	settings := with(base(), func(r *Rights) { r.Admin = AdminEditSettings })
	tests := []struct {
		name    string
		rights  Rights
		action  ProfileAction
		profile int64
		allow   bool
		reason  Reason
	}{
		{"PRF-3 cannot edit the profile one uses", settings, ProfileEdit, 7, false, ReasonOwnProfile},
		{"PRF-3 cannot delete the profile one uses", AdministratorRights(), ProfileDelete, 7, false, ReasonOwnProfile},
		{"PRF-3 views the profile one uses", settings, ProfileView, 7, true, ReasonAdminSettings},
		{"PRF-2 ADM-2 edits another profile", settings, ProfileEdit, 8, true, ReasonAdminSettings},
		{"PRF-2 ADM-2 creates profiles", settings, ProfileCreate, 0, true, ReasonAdminSettings},
		{"PRF-2 ADM-1 no profiles without admin", base(), ProfileEdit, 8, false, ReasonAdminNone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := subjectOf(2, tc.rights)
			s.ProfileID = 7
			mustDecision(t, DecideProfile(s, tc.action, tc.profile), tc.allow, tc.reason, 0)
		})
	}
}

// rule PRF-6: a Subject is built from the stored rights on each request, and nothing is cached
// between: an override written now decides the very next request.
func TestRightsChangeAppliesToNextRequest(t *testing.T) {
	profile := DefaultProfiles()[3].Rights
	before, err := Effective(profile, nil, defaultStatuses)
	if err != nil {
		t.Fatal(err)
	}
	if DecideCase(subjectOf(2, before), CaseCreate, CaseAttrs{}).Allow {
		t.Fatal("employee must not add cases")
	}
	after, err := Effective(profile, map[string]string{ColCases: "manager"}, defaultStatuses)
	if err != nil {
		t.Fatal(err)
	}
	if !DecideCase(subjectOf(2, after), CaseCreate, CaseAttrs{}).Allow {
		t.Fatal("PRF-6: the override must decide the next request")
	}
}
