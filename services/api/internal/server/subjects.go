package server

import "github.com/caseroom/caseroom/pkg/org"

// bumpRightsEpoch moves the rights epoch inside a writer's transaction (org.RightsChanged,
// PRF-6), for the handlers whose writes have not moved to their service yet.
var bumpRightsEpoch = org.RightsChanged
