from django.urls import path

from hoptac.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<id:pk>/", views.job_detail, name="detail"),
    path("<id:pk>/huy/", views.job_cancel, name="cancel"),
    path("<id:pk>/chay-lai/", views.job_retry, name="retry"),
    path("<id:pk>/tep/", views.job_file, name="file"),
]
