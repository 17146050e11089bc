-- Verified rotation (issue 30): the last proof that the receiver and the app moved to the new secret, as JSON
-- (see RotationVerification), and an operator's recorded override of it.
ALTER TABLE rotations ADD COLUMN checks text;
ALTER TABLE rotations ADD COLUMN checked_at timestamptz;
