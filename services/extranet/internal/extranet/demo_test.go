package extranet_test

import (
	"testing"

	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/model"
)

// The portal login `caseroom-api demo` prints works: the contact signs in with the demo
// password, not a temporary one, and has the one case shared; asking again changes nothing.
func TestDemoPortalLogin(t *testing.T) {
	f := setup(t)
	login, err := demo.SharePortal(f.ctx, f.db, f.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	if login.Email != demo.PortalContact || login.Name != "Peter Gibbons" || login.Case != demo.PortalCase {
		t.Fatalf("login %+v", login)
	}
	who, err := f.svc.Login(f.ctx, login.Email, demo.Password, ip)
	if err != nil {
		t.Fatalf("the printed login does not work: %v", err)
	}
	if who.PasswordTemporary {
		t.Fatal("the demo contact must first replace a temporary password")
	}
	again, err := demo.SharePortal(f.ctx, f.db, f.clock.Now)
	if err != nil || again != login {
		t.Fatalf("again: %+v, %v", again, err)
	}
	var cases []string
	if err := f.db.NewSelect().TableExpr("share_contacts AS sc").ColumnExpr("c.name").
		Join("JOIN extranet_shares AS s ON s.id = sc.share_id").Join("JOIN cases AS c ON c.id = s.case_id").
		Where("sc.contact_id = ?", f.contactID(login.Email)).Scan(f.ctx, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) != 1 || cases[0] != demo.PortalCase {
		t.Fatalf("shared with the demo contact: %v", cases)
	}
	var cr model.ContactCredential
	if err := f.db.NewSelect().Model(&cr).Where("contact_id = ?", f.contactID(login.Email)).Scan(f.ctx); err != nil || cr.TokenVersion != 1 {
		t.Fatalf("credential %+v, %v", cr, err)
	}
}
