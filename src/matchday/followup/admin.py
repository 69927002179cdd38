# The follow-up's models (intros, pipeline steps, offers, response records) have no admin
# pages: talent partners oversee them in the app (``followup.views``).
