package outbox

// Claim exposes the claim step so that tests can play a worker that crashes after it.
var Claim = claim
