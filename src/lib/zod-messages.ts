import { z } from 'zod';

// Missing fields say "is required" instead of zod's "expected string, received undefined", so an
// error names the field and what to do in words a form can show.
z.config({
  customError: (issue) => (issue.input === undefined && issue.code === 'invalid_type' ? 'is required' : undefined),
});
