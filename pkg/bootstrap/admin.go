package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// ErrHasUsers means the organisation already has users; the first administrator is made once.
var ErrHasUsers = errors.New("the organisation already has users")

// FirstAdmin creates the organisation's first user, the head of the supervisor tree, in a
// root business unit, with the Administrator profile (RIGHTS.md PRF-1, ORG-1, ORG-3). An
// empty password gets a generated one, which is returned so that it can be shown once.
func FirstAdmin(ctx context.Context, db *bun.DB, now func() time.Time, email, name, orgName, password string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if !strings.Contains(email, "@") || strings.TrimSpace(name) == "" {
		return "", fmt.Errorf("first administrator: a valid email and a name are required")
	}
	if password == "" {
		password = auth.TemporaryPassword()
	}
	if len(password) < 12 {
		return "", fmt.Errorf("first administrator: the password needs at least 12 characters")
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return "", err
	}
	if err := Ensure(ctx, db, now); err != nil {
		return "", err
	}
	t := now().UTC()
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if n, err := tx.NewSelect().Model((*model.User)(nil)).Count(ctx); err != nil {
			return fmt.Errorf("count users: %w", err)
		} else if n > 0 {
			return ErrHasUsers
		}
		var admin model.Profile
		if err := tx.NewSelect().Model(&admin).Where("key = ?", rights.ProfileAdministrator).Scan(ctx); err != nil {
			return fmt.Errorf("load Administrator profile: %w", err)
		}
		var root model.BusinessUnit
		err := tx.NewSelect().Model(&root).Where("parent_id IS NULL").Limit(1).Scan(ctx)
		if err != nil {
			root = model.BusinessUnit{Name: orgName, Version: 1, CreatedAt: t, UpdatedAt: t}
			if _, err := tx.NewInsert().Model(&root).Returning("*").Exec(ctx); err != nil {
				return fmt.Errorf("create root unit: %w", err)
			}
		}
		u := &model.User{Email: email, Name: strings.TrimSpace(name), PasswordHash: hash, UnitID: root.ID, ProfileID: admin.ID,
			Active: true, Version: 1, CreatedAt: t, UpdatedAt: t}
		if _, err := tx.NewInsert().Model(u).Exec(ctx); err != nil {
			return fmt.Errorf("create administrator: %w", err)
		}
		if _, err := tx.NewUpdate().Model((*model.Settings)(nil)).Set("organization_name = ?", orgName).Where("id = 1").Exec(ctx); err != nil {
			return fmt.Errorf("name organisation: %w", err)
		}
		return access.Bump(ctx, tx)
	})
	if err != nil {
		return "", err
	}
	return password, nil
}
