package org

import (
	"context"
	"fmt"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// MayExplain: explaining someone else's access reveals their rights, so it needs Users all
// or Administrator edit_settings and up (USR-4, ADM-2). Errors: apperr.Forbidden.
func MayExplain(a domain.Actor) error {
	if a.Subject.Rights.Users == rights.UsersAll || a.Subject.Rights.Admin >= rights.AdminEditSettings {
		return nil
	}
	return apperr.E(apperr.Forbidden, "Explaining access needs the Users right 'all' or Administrator 'edit_settings'.").Because("USR-4,ADM-2")
}

// ExplainSubject returns the subject of user userID, whose access a explains (GET
// /access/explain): built afresh from the database, as their next request would be.
// Errors: apperr.Forbidden (MayExplain), apperr.NotFound at the parameter "user".
func (s *Service) ExplainSubject(ctx context.Context, a domain.Actor, userID int64) (*rights.Subject, error) {
	if err := MayExplain(a); err != nil {
		return nil, err
	}
	var u model.User
	if err := s.env.DB.NewSelect().Model(&u).Where("id = ?", userID).Scan(ctx); err != nil {
		if domain.IsNoRows(err) {
			return nil, &apperr.Error{Code: apperr.NotFound, Detail: fmt.Sprintf("No user %d.", userID), Param: "user"}
		}
		return nil, apperr.Wrap(err, "load user "+itoa(userID))
	}
	subject, err := access.LoadSubject(ctx, s.env.DB, &u)
	if err != nil {
		return nil, apperr.Wrap(err, "load subject of user "+itoa(userID))
	}
	return subject, nil
}

// CaseViewers returns every active user who may view case caseID, with the rule that lets
// them and what they see hidden (CASE-2, CASE-4..11), for someone who may view the case
// themself (STYLE rule 3) and may explain access (MayExplain). Errors: apperr.NotFound,
// apperr.Forbidden.
func (s *Service) CaseViewers(ctx context.Context, a domain.Actor, caseID int64) ([]rights.Viewer, error) {
	c, _, err := domain.CaseFor(ctx, s.env.DB, a, caseID, rights.CaseView)
	if err != nil {
		return nil, err
	}
	if err := MayExplain(a); err != nil {
		return nil, err
	}
	subjects, err := access.LoadAllSubjects(ctx, s.env.DB)
	if err != nil {
		return nil, apperr.Wrap(err, "load subjects")
	}
	return rights.CaseViewers(domain.CaseAttrs(c), subjects), nil
}
