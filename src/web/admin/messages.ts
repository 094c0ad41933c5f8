// The admins' strings (English).

/** One-time messages after admin actions; merged into m.flash so FlashKey covers them. */
export const adminFlash = {
  adminRoleChanged: 'The role is changed.',
  adminUserDisabled: 'The account is disabled; its sessions have ended.',
  adminUserEnabled: 'The account is enabled again.',
  adminVerificationSent: 'A new confirmation e-mail is on its way.',
} as const;

export const am = {
  nav: { admin: 'Administration', users: 'Users' },
  users: {
    title: 'Users',
    search: 'Name or e-mail contains',
    role: 'Role',
    anyRole: 'Any role',
    find: 'Find',
    none: 'No user matches.',
    name: 'Name',
    email: 'E-mail',
    state: 'State',
    actions: 'Actions',
    verified: 'Confirmed',
    unverified: 'Not confirmed',
    disabled: 'Disabled',
    active: 'Active',
    changeRole: (name: string) => `New role for ${name}`,
    saveRole: 'Change role',
    disable: 'Disable',
    enable: 'Enable',
    resend: 'Resend confirmation e-mail',
    total: (count: number) => `${count} user${count === 1 ? '' : 's'}`,
  },
  roleName: { member: 'Member', intermediary: 'Intermediary', editor: 'Editor', admin: 'Administrator' } as Record<string, string>,
};
