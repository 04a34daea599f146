"""Identity and tenancy: users, sign-in sessions, API tokens, workspaces, members, invitations, roles and
the audit log. Every other domain asks it who is acting, in which workspace, and with what rights.
"""
