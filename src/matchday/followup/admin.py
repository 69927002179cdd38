# The follow-up app owns no models; intros, steps and response records are administered
# with the rest of the Match Day in ``matchday.matchdays``.
