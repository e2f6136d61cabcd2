"""`empathy report`: one offline HTML page (or JSON) of what the toolkit knows, delivers, blocks and costs."""
