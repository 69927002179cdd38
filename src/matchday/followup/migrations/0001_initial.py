# The follow-up's models, moved here from matchdays (matchdays 0013 removed them from its
# state). Their tables were created by matchdays' migrations and keep their names
# (Meta.db_table), so this adds them to followup's state only and creates no table. Then, on
# a database that has rows already: the content types follow the models (so permissions and
# admin history stay attached), and the messages' `about` keys (what a message is about, for
# idempotency: a reminder already sent is not sent again) take the new label. Audit entries
# keep the label they were recorded with: the log is append-only (followup.models.labels_of).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Concat, Left, Substr


MODELS = ("intro", "pipelinestep", "offer", "responserecord")
OLD, NEW = "matchdays", "followup"


def _relabel(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
    for name in ("Message", "InboxItem"):
        rows = apps.get_model("notifications", name).objects
        for model in MODELS:
            prefix = f"{old}.{model}:"
            rows.filter(about__startswith=prefix).update(
                about=Left(Concat(Value(f"{new}.{model}:"), Substr("about", len(prefix) + 1)), 100)
            )


def forwards(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, OLD, NEW)


def backwards(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, NEW, OLD)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('notifications', '0004_inbox'),
        ('companies', '0006_company_timezone'),
        ('matchdays', '0013_followup_models_moved'),
        ('talent', '0006_partner_notes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Intro',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('offered_salary', models.PositiveIntegerField()),
                        ('status', models.CharField(choices=[('released', 'Awaiting your answer'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('withdrawn', 'Withdrawn by the candidate'), ('closed', 'Closed'), ('hired', 'Hired'), ('expired', 'Expired unanswered')], default='released', max_length=10)),
                        ('released_at', models.DateTimeField()),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('decline_reason', models.TextField(blank=True, max_length=2000)),
                        ('close_reason', models.TextField(blank=True, max_length=2000)),
                        ('reminders_sent', models.PositiveSmallIntegerField(default=0)),
                        ('candidate', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='intros', to='talent.candidateprofile')),
                        ('matchday', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='intros', to='matchdays.matchday')),
                        ('proposal', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='intro', to='matchdays.proposal')),
                        ('role', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='intros', to='companies.role')),
                    ],
                    options={
                        'db_table': 'matchdays_intro',
                        'ordering': ['-released_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='PipelineStep',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField()),
                        ('kind', models.CharField(choices=[('screen', 'Screen'), ('interview', 'Interview'), ('offer', 'Offer'), ('hired', 'Hired'), ('closed', 'Closed')], max_length=10)),
                        ('name', models.CharField(max_length=120)),
                        ('status', models.CharField(choices=[('open', 'Open'), ('scheduled', 'Scheduled'), ('done', 'Done'), ('cancelled', 'Cancelled')], default='open', max_length=10)),
                        ('due_at', models.DateTimeField(help_text='The company must act by then.')),
                        ('scheduled_at', models.DateTimeField(blank=True, null=True)),
                        ('duration_minutes', models.PositiveSmallIntegerField(default=60)),
                        ('location', models.CharField(blank=True, max_length=300)),
                        ('notes', models.TextField(blank=True, max_length=4000)),
                        ('close_reason', models.TextField(blank=True, max_length=2000)),
                        ('completed_at', models.DateTimeField(blank=True, null=True)),
                        ('reminded_at', models.DateTimeField(blank=True, null=True)),
                        ('escalated_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('interview_step', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='pipeline_steps', to='companies.interviewstep')),
                        ('intro', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='followup.intro')),
                        ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'matchdays_pipelinestep',
                        'ordering': ['intro_id', 'position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Offer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', models.PositiveIntegerField(help_text='Whole currency units.')),
                        ('currency', models.CharField(max_length=3)),
                        ('pay_period', models.CharField(choices=[('year', 'per year'), ('month', 'per month'), ('day', 'per day'), ('hour', 'per hour')], default='year', max_length=8)),
                        ('start_date', models.DateField()),
                        ('expires_at', models.DateTimeField(help_text='The candidate answers by then.')),
                        ('notes', models.TextField(blank=True, max_length=4000)),
                        ('outside_band_reason', models.TextField(blank=True, max_length=2000)),
                        ('status', models.CharField(choices=[('made', "Awaiting the candidate's answer"), ('accepted', 'Accepted'), ('declined', 'Declined'), ('expired', 'Expired'), ('withdrawn', 'Withdrawn')], default='made', max_length=10)),
                        ('made_at', models.DateTimeField()),
                        ('answered_at', models.DateTimeField(blank=True, null=True)),
                        ('decline_reason', models.TextField(blank=True, max_length=2000)),
                        ('reminded_at', models.DateTimeField(blank=True, null=True)),
                        ('intro', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='offers', to='followup.intro')),
                        ('made_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('step', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='offers', to='followup.pipelinestep')),
                    ],
                    options={
                        'db_table': 'matchdays_offer',
                        'ordering': ['-made_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ResponseRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('opened_at', models.DateTimeField()),
                        ('due_at', models.DateTimeField()),
                        ('responded_at', models.DateTimeField(blank=True, null=True)),
                        ('missed', models.BooleanField(default=False)),
                        ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='companies.company')),
                        ('intro', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='followup.intro')),
                        ('step', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='response', to='followup.pipelinestep')),
                    ],
                    options={
                        'db_table': 'matchdays_responserecord',
                        'ordering': ['-opened_at', 'pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='intro',
                    index=models.Index(fields=['candidate', 'status'], name='matchdays_i_candida_f82b05_idx'),
                ),
                migrations.AddConstraint(
                    model_name='intro',
                    constraint=models.UniqueConstraint(fields=('matchday', 'candidate', 'role'), name='intro_unique_pair'),
                ),
                migrations.AddIndex(
                    model_name='pipelinestep',
                    index=models.Index(fields=['status', 'due_at'], name='matchdays_p_status_262756_idx'),
                ),
                migrations.AddIndex(
                    model_name='offer',
                    index=models.Index(fields=['status', 'expires_at'], name='matchdays_o_status_ee624c_idx'),
                ),
                migrations.AddConstraint(
                    model_name='offer',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='offer_amount_positive'),
                ),
                migrations.AddConstraint(
                    model_name='offer',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'made')), fields=('intro',), name='offer_one_open_per_intro'),
                ),
                migrations.AddIndex(
                    model_name='responserecord',
                    index=models.Index(fields=['company', 'opened_at'], name='matchdays_r_company_3c22d0_idx'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
