app_name = "portraits"

urlpatterns: list = []
