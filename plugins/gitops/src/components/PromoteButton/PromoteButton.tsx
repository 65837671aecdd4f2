import { gitopsEnvironmentPromotePermission } from '@goldenpath/plugin-gitops-common';
import type { PromotionGate } from '@goldenpath/plugin-gitops-common';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import type { PromotionRequest } from '../PromoteDialog';

const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

/** The first clause of a refusal: the state, before the rule ("; needs"). */
export function reasonState(reason: string): string {
  const end = reason.indexOf('; ');
  return end > 0 ? reason.slice(0, end) : reason;
}

/** Shown instead of the gate's reason to users the policy does not allow. */
export const NOT_ALLOWED = 'You may not promote this component';

/**
 * "Promote <version> from <source>" for one environment, disabled with the
 * gate's reason (the action's refusal, word for word) when the gate fails,
 * or with {@link NOT_ALLOWED} for users without `gitops.environment.promote`
 * on the entity. Nothing for the first environment, or when the source runs
 * what the environment already wants.
 */
export function PromoteButton(props: {
  entityRef: string;
  gate: PromotionGate;
  onOpen: (request: PromotionRequest) => void;
}) {
  const { entityRef, gate, onOpen } = props;
  const { allowed, loading } = usePermission({
    permission: gitopsEnvironmentPromotePermission,
    resourceRef: entityRef,
  });
  if (!gate.source || (gate.version && gate.version === gate.previousVersion)) {
    return null;
  }
  // A tag as written (the button's capitals would change it), and whole;
  // one span, as the button lays its children out as flex items, which
  // would drop the spaces between them.
  const label = gate.version ? (
    <span>
      Promote <span style={{ whiteSpace: 'nowrap' }}>{gate.version}</span> from{' '}
      {gate.source}
    </span>
  ) : (
    `Promote from ${gate.source}`
  );
  let why: string | undefined;
  if (!loading && !allowed) why = NOT_ALLOWED;
  else if (gate.reason) why = gate.reason;
  const reasonId = `gitops-promote-reason-${gate.target}`;
  return (
    // Words wrap between each other, never inside (the table cell's own
    // break-word would split a tag).
    <Box style={{ wordBreak: 'normal', overflowWrap: 'normal' }}>
      <Button
        variant="outlined"
        color="primary"
        size="small"
        style={{ textTransform: 'none' }}
        disabled={loading || Boolean(why)}
        onClick={() =>
          onOpen({
            entityRef,
            target: gate.target,
            source: gate.source,
            version: gate.version!,
            previousVersion: gate.previousVersion,
            evidence: gate.evidence!,
            rollback: false,
          })
        }
        aria-describedby={why ? reasonId : undefined}
      >
        {label}
      </Button>
      {why && (
        <Typography
          id={reasonId}
          variant="caption"
          color="textSecondary"
          component="div"
          title={why}
        >
          {/* The state in view; the rule it breaks on hover and for
              screen readers, so the row stays short. */}
          {reasonState(why)}
          {reasonState(why) !== why && (
            <span style={visuallyHidden}>
              {why.slice(reasonState(why).length)}
            </span>
          )}
        </Typography>
      )}
    </Box>
  );
}
