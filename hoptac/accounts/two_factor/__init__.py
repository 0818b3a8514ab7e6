"""Two-factor sign-in: after his password, a user gives a code from his authenticator app
(TOTP, django-otp) or one of his recovery codes.

- who must use it: `hoptac.accounts.access.must_use_two_factor` (setting HOPTAC_REQUIRE_2FA);
- the devices, their codes and every write to them: `services`;
- the step a signed-in user still owes, kept in his session: `session`;
- every page waits for that step: `middleware.TwoFactorMiddleware`;
- the pages (second step, enrolment, "Xác thực hai bước", an administrator's reset): `views`.

An administrator's reset is `hoptac.accounts.services.two_factor_reset`, with the other writes
to accounts.
"""
